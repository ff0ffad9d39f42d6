// The built-in configuration: the NeuroNova host (nginx, Django and Flask under gunicorn, disk, memory, CPU).

/** The raw (YAML-shaped) built-in config; it goes through the same schema as a file does. */
export const BUILT_IN_CONFIG = {
  log_file: '/var/log/neuronova/health_check.log',
  state_dir: '/var/lib/neuronova',
  timeout: '10s',
  deadline: '60s',
  concurrency: 256,
  process_concurrency: 8,
  thresholds: {
    disk: { warning: 80, critical: 90 },
    memory: { warning: 80, critical: 90 },
    cpu: { warning: 70, critical: 90 },
  },
  checks: [
    { name: 'nginx', type: 'systemd', unit: 'nginx' },
    { name: 'django', type: 'systemd', unit: 'gunicorn_django' },
    { name: 'django-api', type: 'http', url: 'http://127.0.0.1:8000/api/health/', depends_on: ['django'] },
    { name: 'flask', type: 'systemd', unit: 'gunicorn_flask' },
    { name: 'flask-api', type: 'http', url: 'http://127.0.0.1:9000/health', depends_on: ['flask'] },
    { name: 'disk', type: 'disk', path: '/' },
    { name: 'memory', type: 'memory' },
    { name: 'cpu', type: 'cpu' },
  ],
  alerts: {},
  outputs: {},
} as const;

export const DEFAULT_CONFIG_PATH = '/etc/neuronova/health-check.yml';
export const CONFIG_ENV = 'NEURONOVA_HEALTH_CONFIG';
