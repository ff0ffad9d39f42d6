// 한국어 카탈로그: en.ts와 같은 모양(Catalogue)이어야 컴파일된다. 말투는 운영팀 가이드의 로그·알림 예시를 따른다
// (짧은 명사형 로그 문장, 안내는 "~하세요"). 점검 이름, 단위, URL, 숫자, 레벨 단어(OK, CRITICAL …)는 그대로 둔다.
import type { Level } from '../levels.js';
import type { Catalogue } from './en.js';
import { particle, withParticle } from './particles.js';

/** 850ms, 1.5초, 12초, 5분, 2시간 5분, 3일 4시간. */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  // 1500ms 제한 시간이 "2초"로 보이지 않게: 10초 미만은 소수 한 자리 (util/duration.ts와 같은 규칙)
  if (ms < 9950 && Math.round(ms / 100) % 10 !== 0) return `${(ms / 1000).toFixed(1)}초`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}초`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 && m < 10 ? `${m}분 ${s % 60}초` : `${m}분`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}시간 ${m % 60}분` : `${h}시간`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}일 ${h % 24}시간` : `${d}일`;
}

/** `2025-12-06 14:35:01` → `2025년 12월 6일 14:35`. */
function dateTime(stamp: string): string {
  const [date = '', time = ''] = stamp.split(' ');
  const [y, m, d] = date.split('-').map(Number);
  return `${y}년 ${m}월 ${d}일 ${time.slice(0, 5)}`;
}

/** 점검 결과의 판정: `정상`, `경고: 80% 이상`, `위험: 90% 이상` (가이드의 `디스크 사용량: 45% (정상)`). */
const judged = (level: Level, crossed: string | undefined) =>
  level === 'OK' || !crossed
    ? '정상'
    : `${level === 'WARNING' ? '경고' : level === 'CRITICAL' ? '위험' : '판단 불가'}: ${crossed.replace(/^≥ (.+)$/, '$1 이상')}`;

/** systemd의 ActiveState를 운영자의 말로 (가이드의 `Nginx: 정상 실행 중`). */
const UNIT_WORD: Record<string, string> = {
  active: '정상 실행 중',
  activating: '시작 중',
  reloading: '설정 다시 읽는 중',
  deactivating: '멈추는 중',
  inactive: '멈춤',
  failed: '실패',
};

/** 쉼표로 나열하고 "중 하나"로 맺는다: `a, b, c 중 하나`. */
const orList = (items: readonly string[]) => (items.length > 1 ? `${items.join(', ')} 중 하나` : items.join(''));

/** 로그의 단계 이름 (run-steps.ts의 name). */
const STEP_WORD: Record<string, string> = { alerts: '알림', history: '기록', 'status page': '상태 페이지' };
/** 제목의 상황 설명: 가이드의 `[CRITICAL] NeuroNova 서비스 장애 발생!`. */
const SUBJECT_WORD: Record<string, string> = {
  CRITICAL: '서비스 장애 발생',
  WARNING: '경고 발생',
  UNKNOWN: '점검 불가',
  FLAPPING: '상태 불안정',
  OK: '상태 변화',
};

export const ko: Catalogue = {
  lang: 'ko',
  duration,
  dateTime,
  orList,

  run: {
    rule: '========================================',
    started: (count, host) => `NeuroNova 헬스 체크 시작 (점검 ${count}개, 호스트 ${host})`,
    builtInDefaults: (path) => ` — 설정 파일이 없어 기본 점검으로 실행 (${path} 없음)`,
    builtInChecks: (why) => ` — 기본 점검으로 실행 (${why})`,
    finished: (level, counts, ms) => `헬스 체크 완료: ${level} (${counts}, ${ms} ms)`,
    counts: (s) =>
      [
        s.critical && `위험 ${s.critical}`,
        s.unknown && `판단 불가 ${s.unknown}`,
        s.warning && `경고 ${s.warning}`,
        `정상 ${s.ok}`,
      ]
        .filter(Boolean)
        .join(', '),
    interrupted: (signal) => `${signal} 신호로 중단: 점검을 멈췄고 알림과 기록은 하지 않음`,
    interruptedLine: (why) => `헬스 체크 ${why}`,
    stepFailed: (step, why) => `${STEP_WORD[step] ?? step}: ${why}`,
    stateDirUnusable: (dir, why) =>
      `state_dir ${dir} 사용 불가: ${why} (root로 실행하거나 state_dir를 쓰기 가능한 디렉터리로 지정하세요). 알림 상태를 저장하지 않습니다`,
    stateNotSaved: (dir, why) => `${dir}에 상태 저장 실패: ${why}`,
    logUnwritable: (path, why, permission) =>
      `로그 ${path}에 쓸 수 없음: ${why}${permission ? ' (root로 실행하거나 log_file을 쓰기 가능한 경로로 지정하세요)' : ''}`,
    statusPageNoHistory: (why) => `상태 페이지: 기록을 읽을 수 없어 이번 실행만 표시: ${why}`,
    heartbeatSent: (url) => `하트비트 전송: ${url}`,
    watchdogStepsStderr: (deadline) => `실행 후 단계가 마감 시간(${deadline}) 안에 끝나지 않아 감시 장치가 멈춤`,
    watchdogStepsLog: (level, deadline) =>
      `헬스 체크를 감시 장치가 멈춤: ${level}, 하지만 실행 후 단계가 마감 시간(${deadline}) 안에 끝나지 않음`,
    internalError: (reason) => `헬스 체크가 내부 오류로 멈춤: ${reason}`,
    pingFailed: (url, why) => `${url} 핑 실패: ${why}`,
    pingNoAnswer: (ms) => `${ms} ms 안에 응답 없음`,
    watchdogStderr: (deadline) => `내부 오류: 실행이 마감 시간(${deadline}) 안에 끝나지 않아 감시 장치가 멈춤`,
    watchdogLog: (deadline) =>
      `헬스 체크를 감시 장치가 멈춤: 마감 시간(${deadline}) 안에 끝나지 않음, 결과는 기록하지 않음`,
    statusPageUnwritable: (path, why) =>
      `${path}에 쓸 수 없음: ${why} (실행하는 사용자가 outputs.status_dir에 쓸 수 있게 하세요)`,
    historyUnwritable: (path, why) =>
      `${path}에 기록을 덧붙일 수 없음: ${why} (기록은 state_dir에 있습니다. 실행하는 사용자가 쓸 수 있게 하세요)`,
    historyNotRotated: (path, why) => `${path} 로테이션 실패: ${why}`,
    historyNotPruned: (files) => `실행은 기록했지만 오래된 기록을 지우지 못함: ${files.join(', ')}`,
    prometheusUnwritable: (path, why, permission) =>
      `Prometheus 텍스트 파일 ${path}에 쓸 수 없음: ${why}${permission ? ' (root로 실행하거나 outputs.prometheus를 쓰기 가능한 디렉터리로 지정하세요)' : ''}`,
  },

  terminal: {
    hint: (text) => `조치: ${text}`,
    noChecks: '  (켜져 있는 점검 없음)',
    summary: (level, counts, ms, logFile) => `${level} (${counts}) · ${ms} ms · 로그: ${logFile}`,
    firstRunHint: (path) =>
      `NeuroNova 서버가 아닌가요? ${path} 파일이 없어 기본 점검을 실행했습니다: --only disk,memory,cpu 로 자원만 점검하거나, \`config example\`로 설정 파일을 만들어 시작하세요.`,
  },

  alert: {
    problemSubject: (word, host, checks) =>
      `[${word}] ${host} ${SUBJECT_WORD[word] ?? SUBJECT_WORD.OK}: ${checks.join(', ')}`,
    recoveredSubject: (host, checks) => `[RECOVERED] ${host} 서비스 복구: ${checks.join(', ')}`,
    testSubject: (host, program) => `[TEST] ${host} 테스트 알림 (${program})`,
    failingList: (checks) => `실패한 서비스: ${checks.join(', ')}`,
    failingFor: (span, since) => `${since}부터 ${span}째 장애`,
    down: (check, level, message, span, note) =>
      `${check} — ${level}: ${message}${span ? `; ${span}` : ''}${note ? ` (${note})` : ''}`,
    reminder: (check, level, message, span, note) =>
      `${check} — 계속 ${level}${span ? `, ${span}` : ''}: ${message}${note ? ` (${note})` : ''}`,
    flapping: (check, level, message, note) =>
      `${check} — 상태 불안정(FLAPPING)${note ? ` (${note})` : ''}; 현재 ${level}: ${message}`,
    recovered: (check, message, downFor, since, note) =>
      `${check} — 복구됨${downFor ? ` (${downFor} 동안 장애` + (since ? `, ${since}부터)` : ')') : since ? ` (${since}부터 장애)` : ''}: ${message}${note ? ` (${note})` : ''}`,
    also: (checks) => `이 장애로 함께 실패 중: ${checks.join(', ')}`,
    hint: (text) => `조치: ${text}`,
    late: (made) => `늦게 전달된 알림: ${made}에 만든 메시지입니다. 그때는 이 채널에 연결할 수 없었습니다.`,
    time: (stamp, host) => `시각: ${stamp} (${host} 현지 시각)`,
    more: (program, host, logFile) => `자세히 보기: ${host}에서 \`${program} run\` 실행, 또는 로그 확인: ${logFile}`,
    testBody: (program, host) => [
      `${host}의 ${program}에서 보낸 테스트 알림입니다 (\`${program} test-alert\`).`,
      '장애가 아닙니다. 이 메시지가 보이면 알림 채널이 정상 작동합니다.',
    ],
    slackTest: '장애가 아닙니다. 이 메시지가 보이면 Slack 알림이 정상 작동합니다.',
    testDetails: '테스트 알림: 장애가 아닙니다',
    cutHere: '(이하 생략)',
    noLongerFailing: (check, host) => `${host}의 ${check} 복구됨`,
    failingOn: (check, level, host, message) => `${host}의 ${check} ${level}: ${message}`,
    testEndsItself: 'test-alert로 보낸 테스트: 장애가 아니며 5분 뒤 저절로 끝납니다',
    testResolveByHand: (program) =>
      `\`${program} test-alert\`로 보낸 테스트: 장애가 아닙니다. 직접 해결(resolve) 처리하세요`,
    andMore: (count, checks) => `…외 ${count}건: ${checks.join(', ')}`,
    notes: {
      steadilyFailing: '더 이상 오락가락하지 않고 계속 실패 중',
      beganWhileMuted: (silence) => `${silence ? '알림을 꺼 둔' : '점검 작업 시간'} 동안 시작된 장애`,
      was: (level) => `이전 ${level}`,
      stillFailingAfterMute: (silence) =>
        `${withParticle(silence ? '알림 끄기' : '점검 작업 시간', '이/가')} 끝났는데도 계속 실패 중`,
      steadyAgain: '다시 안정됨',
      mutedBy: (silence) => `${silence ? '알림 끄기' : '점검 작업 시간'} 중`,
      flapping: (times, window, steady) =>
        `최근 ${window}회 실행 중 ${times}번 장애와 복구를 오감. ${steady}회 연속 안정될 때까지 더 알리지 않음`,
    },
  },

  delivery: {
    line: (subject, firstTried) => `알림${firstTried ? ` (재시도, 처음 시도 ${firstTried})` : ''}: ${subject}`,
    sent: (labels) => `알림 발송: ${labels.join(', ')}`,
    notSent: (label, why, until) => `알림 발송 실패: ${label}: ${why}; ${until}까지 다음 실행 때 다시 보냅니다`,
    blocked: (why) => `먼저 보내지 못한 이전 알림 뒤에서 대기 중 (${why})`,
    refused: (label, why, key) => `알림 수신 거부: ${label}: ${why}; 다시 보내지 않음 (${key} 설정을 고치세요)`,
    expired: (label, subject, lastError) =>
      `알림 폐기: ${withParticle(label, '으로/로')} 24시간 동안 보내지 못함: "${subject}" (마지막 오류: ${lastError ?? '알 수 없음'})`,
    overflow: (label, subject) =>
      `알림 폐기: ${label} 채널에 못 보낸 알림이 너무 많아 가장 오래된 것을 버림: "${subject}"`,
    channelGone: (count, kind) => `알림 대기열: ${kind} 채널이 설정에서 빠져 못 보낸 알림 ${count}건을 버림`,
    outboxUnreadable: (count) => `알림 대기열: 상태 파일에서 읽을 수 없는 알림 ${count}건을 버림`,
    cannotLoad: (kind, why) => `${kind} 발송 모듈을 불러올 수 없음: ${why}`,
    noTimeLeft: '실행 마감 시간까지 남은 시간 없음',
    handedOver: (label, subject, at) =>
      `알림 다시 보내지 않음: ${at}에 ${label}에 "${subject}"를 넘겼지만 응답 전에 실행이 멈춤. 이미 도착했을 가능성이 큼`,
    notSentNowhere: (subject) =>
      `알림 보내지 않음: 상태를 어디에도 저장할 수 없어 기억하지 못하고 실행할 때마다 다시 나가게 됨: ${subject}`,
    waitPastDeadline: (what, wait) => `${what}: ${wait} 기다리라는 답이지만 실행 마감 시간을 넘김`,
    timeout: (span) => `${span} 안에 응답 없음 (시간 초과)`,
    failed: '실패',
    subjectOnly: (subject) => `알림: ${subject}`,
    notSentNoAlert: (subject) => `알림 보내지 않음 (--no-alert): ${subject}`,
    notSentNoState: (dir, subject) =>
      `알림 보내지 않음: state_dir ${dir}에 쓸 수 없어 보낸 사실을 기억할 수 없음: ${subject}`,
    notSentWhy: (why) => `알림 보내지 않음: ${why}`,
    noChannel: (keys, envVars) => `설정된 알림 채널 없음 (${orList(keys)}를 설정하거나 환경 변수 ${envVars} 사용)`,
  },

  mute: {
    silence: (until, reason) => `${until}까지 알림 끔${reason ? `: ${reason}` : ''}`,
    maintenance: (until, reason) => `${until}까지 점검 작업 시간${reason ? `: ${reason}` : ''}`,
    event: { down: '실패', reminder: '계속 실패', flapping: '상태 불안정', recovered: '복구' },
    muted: (mute, checks) => `알림 보류 (${mute}): ${checks.join(', ')}; 끝날 때도 그대로면 그때 알림`,
    inForce: (silence, until, left, checks, reason, by) => {
      const why = [reason, by ? `설정: ${by}` : ''].filter(Boolean).join(', ');
      return `${silence ? '알림 끔' : '점검 작업 시간'}: ${until}까지 (${left} 남음), 대상: ${checks.length ? checks.join(', ') : '모든 점검'}${why ? ` — ${why}` : ''}`;
    },
  },

  state: {
    lockHeld: (pid, path, ageS) =>
      `다른 실행(pid ${pid})이 ${ageS}초 전부터 ${path}를 잡고 있음. 끝날 때까지 기다리거나, 실행 중인 것이 없으면 파일을 지우세요`,
    lockContended: (path) => `잠금 ${path}를 잡을 수 없음: 다른 실행들이 계속 잡고 있음`,
    cannotRead: (path, why) => `${path} 읽기 실패: ${why}`,
    corrupt: (path, why) => `상태 파일 ${path}가 손상됨 (${why}). 새로 시작합니다`,
    savedAgain: (dir, before) => `${dir}에 다시 상태 저장됨 (전에는 쓸 수 없었음: ${before})`,
    savedInFallback: (dir, why, fallback) =>
      `${dir}에 상태 저장 실패: ${why}. 쓸 수 있을 때까지 ${fallback}에 보관 (알림은 기억되어 두 번 가지 않음, 한 번만 알림)`,
    savedNowhere: (dir, fallback, why) =>
      `${dir}에도 ${fallback}에도 상태를 저장할 수 없음: ${why}. 기억할 수 없으므로 알림을 보내지 않음`,
  },

  logs: {
    noSources: (where) =>
      `${where ?? '기본 설정(설정 파일 없음)'}에 log_sources가 없음: 애플리케이션 로그를 추가하세요. 예: log_sources: [/var/log/nginx/*.log, /srv/app/logs/*.log]`,
    notPositive: (flag, unit, fallback, value) =>
      `--${flag}: 0보다 큰 ${unit} 수를 쓰세요 (예: ${fallback}). 지금은 "${value}"`,
    hours: '시간',
    days: '일',
    justNow: '방금',
    ago: (span) => `${span} 전`,
    noFiles: (pattern, reason) => `${pattern}에 맞는 파일 없음: ${reason}`,
    leftAlone: (path, reason) => `건드리지 않음: ${path}: ${reason}`,
    header: ['파일', '크기', '줄 수', '마지막 기록', '로테이션'],
    noLiveLog: '현재 로그 없음',
    noLogFiles: '로그 파일을 찾지 못함',
    liveTotal: (live, total) => `현재 로그 ${live}개, 로테이션된 파일 포함 ${total}`,
    errorsFound: (count, hours, files) => `최근 ${hours}시간 동안 에러 ${count}줄 (파일 ${files}개 확인)`,
    noErrors: (hours, files) =>
      `최근 ${hours}시간 동안 ERROR/CRITICAL/Traceback 줄 없음 (그동안 기록된 파일 ${files}개)`,
    untimed: (path, count) => `${path}: 읽을 수 있는 시각이 없는 에러 ${count}줄은 표시하지 않음`,
    cannotRead: (path, reason) => `${path} 읽기 실패: ${reason}`,
    cannotDelete: (path, reason) => `${path} 삭제 실패: ${reason}`,
    deleted: (dryRun, path, size, ago) => `${dryRun ? '삭제 예정' : '삭제함'}: ${path} (${size}, 마지막 기록 ${ago})`,
    freed: (dryRun, size, count, days, kept) =>
      `${dryRun ? '시험 실행: 확보 예정' : '확보함'} ${size} (${days}일 지난 로테이션 파일 ${count}개). 더 최근 파일 ${kept}개와 현재 로그는 그대로 둠`,
  },

  usage: {
    onlyUnknown: (refusal, names) => `--only: ${refusal}. 점검 목록: ${names.join(', ')}`,
    silenceUnknown: (refusal, names) => `silence: ${refusal}. 점검 목록: ${names.join(', ')}`,
    clearAlone: 'silence --clear는 모든 알림 끄기를 끝냅니다. --for나 점검 이름 없이 쓰세요',
    silenceHowLong: 'silence: 얼마 동안인지 정하세요. 예: `silence --for 2h --reason 배포 nginx`',
    notDuration: (value) => `--for: "${value}"는 기간 형식이 아님. 30m, 2h, 1d처럼 쓰세요`,
    tooLong: (value) =>
      `--for: ${value}는 30일보다 깁니다. 아예 점검하지 않으려면 설정에서 그 점검에 enabled: false를 쓰세요`,
    sinceWindow: (since) =>
      `--since: "${since}"는 리포트 기간이 아님. 24h, 7d, 30d, 90d를 쓰세요 (12h, 2d 같은 기간도 됩니다)`,
  },

  silence: {
    ended: (count) => `알림 끄기 ${count}건을 끝냈습니다. 이제 알림이 다시 나갑니다.`,
    noneWas: '켜져 있던 알림 끄기가 없습니다.',
    noneInForce: '알림 끄기도 점검 작업 시간도 없습니다. 알림이 정상적으로 나갑니다.',
    added: (until, span, checks, reason) =>
      `${until}까지 (${span}) 알림을 끕니다. 대상: ${checks.length ? checks.join(', ') : '모든 점검'}${reason ? ` — ${reason}` : ''}.\n` +
      '점검과 로그 기록은 계속됩니다. 끝날 때까지 계속 실패 중인 점검은 그때 알립니다. 일찍 끝내려면 `silence --clear`를 실행하세요.',
  },

  configCheck: {
    ok: (file) => `${file}: 정상`,
    okBuiltInChecks: (file, checks) => `${file}: 정상. 점검 목록이 없어 NeuroNova 기본 점검을 실행합니다 (${checks})`,
    builtInOk: (path) => `${path} 설정 파일 없음: 기본 설정은 정상입니다`,
    wouldRun: (count) => `실행할 점검 ${count}개:`,
    disabled: (count) => `(꺼 둔 점검 ${count}개)`,
    alerts: (channels, on) => `알림: ${channels.length ? channels.join(', ') : '설정된 채널 없음'} (${on}부터)`,
  },

  testAlert: {
    noChannel: (keys, envVars) =>
      `설정된 알림 채널 없음: 설정 파일에 ${orList(keys)}를 추가하세요 (또는 환경 변수 ${envVars})`,
    noSuchChannel: (kind, configured) =>
      `--channel ${kind}: ${kind} 채널이 설정되어 있지 않음 (설정된 채널: ${configured.join(', ')})`,
    sent: (label) => `${label}: 보냄`,
    allSent: (count) =>
      `${count === 1 ? '채널로' : `채널 ${count}개 모두로`} 테스트 알림을 보냈습니다. 도착했는지 확인하세요.`,
    someFailed: (failed, total, retry) =>
      `채널 ${total}개 중 ${failed}개 실패. 고친 뒤 \`${retry}\`로 다시 시도하세요.`,
    logSent: (labels) => `테스트 알림 발송: ${labels.join(', ')}`,
    logNotSent: (error) => `테스트 알림 발송 실패: ${error}`,
    refusedForGood: (label, reason) => `${label}: 수신 거부 (다시 보내지 않음): ${reason}`,
    refusedForNow: (label, reason) => `${label}: 일시적으로 거부됨 (정기 실행이면 다시 보냄): ${reason}`,
  },

  report: {
    title: (host, since, from, to) => `가동률 리포트 · ${host} · 최근 ${since} (${from} → ${to})`,
    noRuns: (dir) => [
      `  이 기간에 기록된 실행이 없습니다 (${dir}).`,
      '  실행할 때마다 기록이 쌓입니다. cron이 점검을 실행하고 있는지, state_dir에 쓸 수 있는지 확인하세요.',
    ],
    header: ['점검', '가동률', '실행', '평균', 'P50', 'P95', '최대', '장애 시간', '장애', '최근'],
    noRunsCell: '실행 없음',
    ongoingCount: (count) => ` (${count}건 진행 중)`,
    met: '달성',
    missed: '미달',
    availability: (percent, up, runs, target, verdict) =>
      `전체 가동률 ${percent} (실행 ${runs}회 중 ${up}회 모든 점검 정상) · 목표 ${target}%: ${verdict}`,
    noIncidents: '장애 없음.',
    incidents: (count) => `장애 ${count}건 (최신순)`,
    olderIncidents: (count) => `  … 이전 장애 ${count}건 더 (--json으로 전체 보기)`,
    skippedLines: (count) => `(읽을 수 없는 기록 ${count}줄 건너뜀: 쓰는 도중 끊긴 실행)`,
    ongoing: '진행 중',
    cannotRead: (dir, why) =>
      `${dir}의 기록을 읽을 수 없음: ${why} (root로, 또는 cron이 점검을 실행하는 사용자로 실행하세요)`,
    noSuchCheck: (name, guess) => `--check: 설정에도 기록에도 "${name}" 점검이 없음${guess}`,
  },

  stats: {
    title: (stamp) => `neuronova-health-check 시스템 통계 · ${stamp}`,
    cpu: 'CPU',
    memory: '메모리',
    disk: (path) => `디스크 ${path}`,
    cpuText: (cores, load) => `사용 중 · 코어 ${cores}개 · 로드 ${load}`,
    memoryText: (available, total) => `사용 · 전체 ${total} 중 ${available} 사용 가능`,
    diskText: (free, total, used) => `사용 · 전체 ${total} 중 ${free} 남음 (${used} 사용)`,
    noSuchPath: (path) => `--path ${path}: 그런 파일이나 디렉터리가 없음 (/ 나 /var처럼 마운트된 경로를 지정하세요)`,
    permissionDenied: (path) => `--path ${path}: 권한 없음`,
  },

  config: {
    noSuchFile: '파일이 없음 (`neuronova-health-check config example > 파일`로 만들거나 경로를 고치세요)',
    permissionDenied: '권한 없음 (root로 실행하거나 파일을 읽을 수 있게 하세요)',
    isDirectory: 'YAML 파일이 아니라 디렉터리임',
    yamlAt: (line, column) => `${line}행 ${column}열`,
    yamlSyntax: (where, message) => `${where}: ${message} (그 위치의 YAML 문법을 고치세요)`,
    topLevelPath: '(최상위)',
    notMapping: 'log_file, checks, alerts 같은 키의 매핑이어야 합니다',
    builtIn: '(기본 설정)',
    required: (expected) => `필수 항목입니다 (${expected})`,
    mustBe: (expected, given) =>
      `${expected}${particle(expected, '이/가') === '이' ? '이어야' : '여야'} 합니다 (지금은 ${given})`,
    atLeastItems: (n) => `항목이 ${n}개 이상 있어야 합니다`,
    notEmpty: '비어 있으면 안 됩니다',
    atLeast: (n) => `${String(n)} 이상이어야 합니다`,
    atMost: (n) => `${String(n)} 이하여야 합니다`,
    oneOf: (values, given) => `${values.join(', ')} 중 하나여야 합니다 (지금은 ${given})`,
    typeWord: {
      array: '목록',
      object: '매핑',
      record: '매핑',
      string: '문자열',
      number: '숫자',
      boolean: 'true/false',
    },
    kindList: '목록',
    kindMapping: '매핑',
    kindText: (shown) => `문자열 ${shown}`,
    kindOther: (type, value) => `${type === 'number' ? '숫자' : type === 'boolean' ? 'true/false 값' : type} ${value}`,
    unknownKeyPlain: (key) => `알 수 없는 키 "${key}"`,
    unknownKey: (key, guess, valid) =>
      guess
        ? `알 수 없는 키 "${key}" ("${guess}"의 오타인가요?)`
        : `알 수 없는 키 "${key}" (쓸 수 있는 키: ${valid.join(', ')})`,
    duplicateName: (name, index) =>
      `"${name}"${particle(name, '은/는')} 이미 checks[${index}]의 이름입니다. 이름은 겹치면 안 됩니다`,
    dependsOnItself: '점검이 자기 자신에 의존할 수는 없습니다',
    noChecksIn: (file) => `${file}에 checks: 없음`,
    noCheckNamed: (name, guess) => `"${name}" 점검이 없음${guess}`,
    didYouMean: (guess) => ` ("${guess}"의 오타인가요?)`,
    checkNeedsType: (types) => `"type"이 필요합니다: ${types.join(', ')} 중 하나`,
    unknownCheckType: (given, guess, types) =>
      `알 수 없는 점검 종류 "${given}"${guess}. 쓸 수 있는 종류: ${types.join(', ')}`,
    noUnit: (value) => `${value}에 단위가 없음: ${value}s 나 ${value}ms처럼 쓰세요`,
    notDuration: (value) => `${value}: 기간 형식이 아님. 500ms, 10s, 5m, 1h, 2d처럼 쓰세요`,
    warningAboveCritical: 'warning이 critical보다 크면 안 됩니다',
    unknownPlaceholder: (unknown, all) =>
      `알 수 없는 자리표시자 ${unknown.join(', ')}: 쓸 수 있는 것은 ${all.join(' ')} ({{ 와 }}는 중괄호 그대로)`,
    warningAbove: (warning, critical) =>
      `${warning}: critical(${critical})보다 크면 안 됩니다. 그 사이 값은 WARNING이 되기도 전에 CRITICAL이 됩니다`,
    criticalBelow: (critical, warning) =>
      `${critical}: warning(${warning})보다 작으면 안 됩니다. 그 사이 값은 WARNING이 되기도 전에 CRITICAL이 됩니다`,
    dependsOnCycle: (cycle) =>
      `depends_on이 순환합니다: ${cycle} (이 중 어느 것도 알림을 보내지 못합니다. depends_on 하나를 지우세요)`,
    outOfRange: (value, limit, positive) =>
      `${value}: 범위를 벗어남. ${positive ? '0보다 크고 ' : ''}${limit} 이하여야 합니다`,
    theDeadline: (span) => `deadline(${span})`,
    repeatOutOfRange: (value, limit) => `${value}: 범위를 벗어남. 0(다시 알리지 않음)이거나 ${limit} 이하여야 합니다`,
    fileTooBig: (mib) =>
      `(파일): ${mib} MiB는 설정 파일 한도(1 MiB)를 넘습니다. 이 서버에 실제로 있는 점검만 두거나 서버별 파일로 나누세요`,
    tooManyChecks: (count, max) =>
      `점검 ${count}개는 한 설정의 한도(${max}개)를 넘습니다. 여러 서버의 설정으로 나누세요`,
    httpUrl: 'http:// 또는 https:// URL이어야 합니다',
    checkName: '영문자, 숫자, "-", "_", "."만 쓸 수 있습니다 (최대 64자, 예: django-api)',
    internalError: (why) => `내부 오류: ${why} (자세한 내용은 NEURONOVA_DEBUG=1로 실행)`,
    seeHelp: (text) => `${text} (--help 참고)`,
  },

  check: {
    disk: (m) =>
      `디스크 사용량 ${m.percent}% (${judged(m.level, m.crossed)}) — ${m.path} 여유 공간 ${m.freeGiB} GiB${m.inodes ? `, inode 사용량 ${m.inodes.percent}% (${judged(m.inodes.level, m.inodes.crossed)})` : ''}`,
    memory: (m) =>
      `메모리 사용량 ${m.percent}% (${judged(m.level, m.crossed)}) — 전체 ${m.totalGiB} GiB 중 ${m.availableGiB} GiB 사용 가능`,
    cpu: (m) => `CPU 로드 ${m.loads.join(' ')} (코어 ${m.cores}개 대비 ${m.percent}%, ${judged(m.level, m.crossed)})`,
    systemd: {
      state: (u) =>
        `${UNIT_WORD[u.active] ?? u.active} (${u.active}, ${u.sub}${u.result ? `, 결과 ${u.result}` : ''})${u.since ? ` — ${u.since}부터` : ''}${
          u.restartedSince ? `, 지난 실행 이후 ${u.restartedSince}번 재시작됨` : ''
        }${u.restartsTotal ? ` (총 ${u.restartsTotal}번 재시작)` : ''}`,
      notFound: (unit) => `유닛 ${unit} 없음 (not-found)`,
      noAnswer: (unit) => `systemctl show가 ${unit}에 대해 답하지 않음`,
      notOnPath: 'PATH에서 systemctl을 찾을 수 없음',
      tooLong: (kib) => `systemctl show의 답이 유닛당 ${kib} KiB를 넘음`,
      failed: (why) => `systemctl show 실패: ${why}`,
      partial: (answered, units) => `systemctl show가 유닛 ${units}개 중 ${answered}개에만 답함`,
    },
    http: {
      result: (r) =>
        `${r.level === 'OK' ? '응답 정상' : r.level === 'WARNING' ? '응답 주의' : '응답 이상'} (${r.status})${r.problems.length ? `: ${r.problems.join(', ')}` : ''}`,
      from: (message, url, ms, truncated) =>
        `${message} — ${url} (${ms} ms${truncated ? ', 본문은 1 MiB까지만 읽음' : ''})`,
      failed: (why, url, ms) => `${why}: ${url} (${ms} ms)`,
      noResponse: '시간 안에 응답 없음',
      acceptSelfSigned: (why) => `${why} (받아들이려면 tls_verify: false)`,
      slow: (ms, max) => `느림: ${ms} ms > ${max} ms`,
      certExpires: (days) => `TLS 인증서 만료까지 ${days}일`,
      bodyLacks: (keyword) => `본문에 "${keyword}" 없음`,
      bodyContains: (keyword) => `본문에 "${keyword}" 있음`,
      jsonMissing: (path, wanted) => `JSON ${path} 없음 (기대값 ${wanted})`,
      jsonIs: (path, actual, wanted) => `JSON ${path} 값이 ${actual} (기대값 ${wanted})`,
      tooManyRedirects: (limit) => `리다이렉트가 너무 많음 (${limit}회)`,
      invalidRedirect: '잘못된 위치로 리다이렉트',
      redirectProtocol: (protocol) => `${protocol}: URL로의 리다이렉트는 따라가지 않음 (http, https만)`,
      redirectLoop: (url) => `리다이렉트 순환: ${url}로 다시 돌아옴`,
      headersTooLarge: (kib) => `응답 헤더가 ${kib} KiB보다 큼`,
      endedEarly: '본문을 다 받기 전에 응답이 끝남',
    },
    net: {
      refused: '연결 거부됨',
      hostNotFound: '호스트를 찾을 수 없음',
      reset: '연결이 끊김',
      unreachable: '호스트에 닿을 수 없음',
      timedOut: '연결 시간 초과',
      socketNotFound: '소켓 파일 없음',
      socketDenied: '소켓 접근 권한 없음',
      certExpired: 'TLS 인증서 만료됨',
      selfSigned: 'TLS 인증서가 자체 서명됨',
      untrusted: 'TLS 인증서가 신뢰하는 CA의 서명이 아님',
      wrongHost: 'TLS 인증서의 호스트 이름이 맞지 않음',
    },
    tcp: {
      cannotConnect: (target, why) => `${target} 연결 실패: ${why}`,
      connected: (target, ms) => `${target} 연결 정상${ms !== undefined ? ` (${ms} ms)` : ''}`,
    },
    probe: {
      failedAt: (why, url, ms) => `${why}: ${url}${ms !== undefined ? ` (${ms} ms)` : ''}`,
      slow: (ms, max) => `, 느림: ${ms} ms > ${max} ms`,
      tooMuch: (label, mib) => `${label}: 상대가 완전한 응답 없이 ${mib} MiB 넘게 보냄 (연결 끊음)`,
      spinning: (label, seconds) =>
        `${label}: 상대가 잘못된 메시지를 보냄 (${label} 클라이언트가 ${seconds}초 동안 쉬지 않고 바빠서 멈춤)`,
      failed: (label, why) => `${label}: 점검 실패: ${why}`,
      heapOut: (label, mib) =>
        `${label}: 상대가 ${label} 클라이언트가 감당할 수 있는 것보다 많이 보냄 (${mib} MiB 힙 부족)`,
      cannotStart: (label, why) => `${label}: ${label} 클라이언트를 시작할 수 없음: ${why}`,
      malformed: (label, detail) => `${label}: 상대가 잘못된 메시지를 보냄 (${detail})`,
      noAnswer: (label, code) => `${label}: ${label} 클라이언트가 응답 없이 종료됨 (종료 코드 ${code})`,
      closedByServer: '서버가 연결을 끊음',
    },
    redis: {
      tlsHint: (why) => `${why} (tls_verify: false로 받아들일 수 있음)`,
      wrongUserPassword: (user) => `사용자 이름 또는 비밀번호가 틀림 (사용자 ${user}: WRONGPASS)`,
      wrongPassword: '비밀번호가 틀림 (WRONGPASS)',
      noAuth: '인증 필요 (NOAUTH): URL에 비밀번호가 없음. redis://:PASSWORD@host:6379/0 처럼 쓰세요',
      noPasswordSet: 'URL에 비밀번호가 있지만 서버에는 설정되어 있지 않음 (AUTH 거부)',
      noDatabase: (db) => `데이터베이스 ${db} 없음 (DB index is out of range)`,
      loading: 'Redis가 아직 데이터를 불러오는 중 (LOADING)',
      masterDown: '복제 서버가 마스터와 끊김 (MASTERDOWN)',
      unexpectedReply: (answer) => `PING에 예상 밖의 응답: ${answer}`,
      pong: (tls) => `PONG 응답 정상${tls ? ' (TLS)' : ''}`,
      from: (message, url, ms) => `${message} — ${url} (${ms} ms)`,
    },
    postgres: {
      tlsHint: (why, mode) => `${why} (sslmode=${mode}; sslmode=require는 인증서 확인 없이 암호화)`,
      defaultUser: '기본 사용자',
      wrongPassword: (user) => `사용자 ${user}의 비밀번호가 틀림 (password authentication failed)`,
      unknownDatabase: (text) => `데이터베이스 없음: ${text}`,
      unknownUser: (text) => `사용자 없음: ${text}`,
      pgHba: (text) => `pg_hba.conf가 거부함: ${text}`,
      notAccepting: (text) => `서버가 연결을 받지 않음: ${text}`,
      tooManyConnections: (text) => `연결이 너무 많음: ${text}`,
      needsPassword: (user) =>
        `서버가 비밀번호를 요구하지만 URL에 없음 (postgres://${user}:PASSWORD@host/db 처럼 쓰세요)`,
      noTls: (mode) => `서버가 TLS를 지원하지 않음 (sslmode=${mode}; sslmode=prefer나 disable을 쓰세요)`,
      tlsFailed: (mode) => `TLS 협상 실패 (sslmode=${mode})`,
      sasl: (text) =>
        `postgres: 서버가 이 점검이 쓸 수 없는 SASL 방식을 요구함 (${text}). pg_hba.conf에서 이 사용자에게 scram-sha-256이나 md5를 허용하세요`,
      unsupportedAuth: (method) =>
        `postgres: 서버가 ${method} 인증을 요구하지만 이 점검은 할 수 없음 (pg_hba.conf에서 이 사용자에게 scram-sha-256이나 md5를 허용하세요)`,
      tlsFile: (why) => `URL에 적힌 TLS 파일을 읽을 수 없음: ${why}`,
      ok: (tls) => `SELECT 1 응답 정상${tls ? ' (TLS)' : ''}`,
      on: (message, url, ms) => `${message} — ${url} (${ms} ms)`,
    },
    command: {
      notFound: (program) => `${program} 없음`,
      notExecutable: (program) => `${program} 실행 권한 없음`,
      stopped: (program) => `${withParticle(program, '이/가')} 끝나기 전에 멈춤`,
      tooMuchOutput: (text, kib) => `${text} (출력이 ${kib} KiB를 넘어 중단)`,
      killedBy: (signal) => `${signal} 신호로 종료됨`,
      exitCode: (code) => `종료 코드 ${code}`,
      badExit: (text, how) => `${text} (${how}, 0-3이어야 함)`,
    },
    engine: {
      deadline: (deadline, reserve) => `실행 마감 시간(${deadline}${reserve ? `, 알림용 ${reserve} 제외` : ''})`,
      notStarted: (deadline) => `시작 못 함: ${withParticle(deadline, '이/가')} 먼저 지남`,
      noAnswerByDeadline: (deadline) => `${deadline}까지 응답 없음`,
      noAnswerWithin: (timeout) => `${timeout} 안에 응답 없음 (시간 초과)`,
      checkFailed: (why) => `점검 실패: ${why}`,
    },
    log: {
      notFound: (path) => `로그 파일 없음: ${path}`,
      cannotRead: (path, why) => `${path} 읽기 실패: ${why}`,
      permissionDenied: '권한 없음 (root로 실행하거나 파일을 읽을 수 있게 하세요)',
      notAFile: (path) => `${path}: 일반 파일이 아님`,
      noTimestamps: (path, readMiB) =>
        `${path}에 알아볼 수 있는 형식의 시각이 적힌 줄이 없음${readMiB !== undefined ? ` (마지막 ${readMiB} MiB 확인)` : ''}`,
      noTimestampsKnown: (path, formats) =>
        `${path}에 알아볼 수 있는 형식의 시각이 적힌 줄이 없음 (아는 형식: ${formats})`,
      counted: (count, pattern, window, limits) =>
        `최근 ${window} 동안 ${pattern}에 맞는 줄 ${count === 0 ? '없음' : `${count}줄`}${
          limits
            ? ` (${[limits.warning !== undefined ? `${limits.warning}줄부터 경고` : '', limits.critical !== undefined ? `${limits.critical}줄부터 위험` : ''].filter(Boolean).join(', ')})`
            : ''
        }`,
      where: (message, path, latest) => `${message} — ${path}${latest ? `; 마지막 줄: ${latest}` : ''}`,
    },
  },

  page: {
    state: { OK: '정상', WARNING: '성능 저하', CRITICAL: '장애', UNKNOWN: '판단 불가' },
    banner: {
      OK: '모든 서비스 정상',
      WARNING: '일부 서비스 성능 저하',
      CRITICAL: '서비스 장애 발생',
      UNKNOWN: '일부 점검 결과를 알 수 없음',
    },
    title: (host, banner) => `${host} 상태: ${banner}`,
    affected: (name, state) => `${name}: ${state}`,
    allUp: (count) => `점검 ${count}개 모두 정상`,
    updated: '업데이트',
    checks: '점검 항목',
    availability: '가동률',
    day: '24시간',
    week: '7일',
    month: '30일',
    target: (percent, met) => `목표 ${percent}%: ${met ? '달성' : '미달'} (30일)`,
    noData: '아직 데이터 없음',
    noRun: '실행 없음',
    justNow: '방금',
    ago: (span) => `${span} 전`,
    now: '지금',
    lastRuns: (count) => `최근 ${count}회 실행`,
    uptime: (day, week, month) => `24시간 ${day} · 7일 ${week} · 30일 ${month}`,
    responseTime: (avg, p95, max) => `응답 시간, 최근 24시간: 평균 ${avg} · p95 ${p95} · 최대 ${max}`,
    incidents: '최근 장애',
    noIncidents: '최근 30일 동안 장애 없음.',
    ongoing: '진행 중',
    footer: (offset, link) =>
      `시각은 서버 현지 시각입니다 (UTC${offset}). 기계용 데이터: ${link}. neuronova-health-check가 만든 페이지입니다.`,
  },
};
