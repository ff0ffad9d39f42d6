// The Korean particle helper: the final syllable's batchim for Hangul, and the documented reading of Latin names,
// digits and capitals (docs/language.md#particles).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { particle, withParticle } from '../../src/i18n/particles.js';

describe('Korean particles', () => {
  test('Hangul: by the final consonant of the last syllable', () => {
    assert.equal(withParticle('디스크', '이/가'), '디스크가');
    assert.equal(withParticle('서버', '은/는'), '서버는');
    assert.equal(withParticle('메모리', '을/를'), '메모리를');
    assert.equal(withParticle('점검', '은/는'), '점검은');
    assert.equal(withParticle('점검 작업 시간', '이/가'), '점검 작업 시간이');
    assert.equal(withParticle('알림 끄기', '이/가'), '알림 끄기가');
    assert.equal(withParticle('연결', '과/와'), '연결과');
  });

  test('(으)로: 로 after a vowel and after ㄹ, 으로 after any other closing consonant', () => {
    assert.equal(withParticle('메일', '으로/로'), '메일로');
    assert.equal(withParticle('서버', '으로/로'), '서버로');
    assert.equal(withParticle('채널', '으로/로'), '채널로');
    assert.equal(withParticle('웹훅', '으로/로'), '웹훅으로');
  });

  test('Latin names as operators say them', () => {
    assert.equal(withParticle('nginx', '은/는'), 'nginx는'); // 엔진엑스
    assert.equal(withParticle('redis', '이/가'), 'redis가'); // 레디스
    assert.equal(withParticle('django-api', '을/를'), 'django-api를'); // …에이피아이
    assert.equal(withParticle('cron', '은/는'), 'cron은'); // 크론
    assert.equal(withParticle('slack', '으로/로'), 'slack으로'); // 슬랙
    assert.equal(withParticle('mail', '으로/로'), 'mail로'); // 메일: ㄹ
    assert.equal(withParticle('postgres-ping', '이/가'), 'postgres-ping이'); // 핑
  });

  test('capitals letter by letter, digits by their Korean names, punctuation skipped', () => {
    assert.equal(withParticle('CPU', '은/는'), 'CPU는'); // 씨피유
    assert.equal(withParticle('HTML', '은/는'), 'HTML은'); // 엘
    assert.equal(withParticle('URL', '으로/로'), 'URL로'); // 엘: ㄹ
    assert.equal(withParticle('API', '이/가'), 'API가');
    assert.equal(withParticle('HTTP 200', '이/가'), 'HTTP 200이'); // 이백
    assert.equal(withParticle('8', '으로/로'), '8로'); // 팔: ㄹ
    assert.equal(withParticle('6', '은/는'), '6은'); // 육
    assert.equal(withParticle('2', '은/는'), '2는'); // 이
    assert.equal(particle('email (ops@example.com)', '으로/로'), '으로'); // …컴
    assert.equal(particle('webhook (hooks.example.org)', '으로/로'), '로'); // …오알지
  });
});
