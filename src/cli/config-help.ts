export const CONFIG_HELP = `
Configuration (environment variables, or a .env file in the working directory):
  PORT                      HTTP port for /healthz, /readyz, /status (default 8080; 0 picks a free one)
  HOST                      HTTP bind address (default 127.0.0.1)
  FINNHUB_API_KEY           live Finnhub when set; otherwise the built-in simulator
  FINNHUB_WS_URL            Finnhub WebSocket URL (default wss://ws.finnhub.io)
  TICKFLOW_SIMULATOR_URL    without an API key: read this simulator (tickflow simulate) instead of starting one
  TICKFLOW_SYMBOLS          comma-separated symbols (default a mix of stocks, forex and crypto)
  TICKFLOW_DATA_DIR         where archives are written (default ./data)
  TICKFLOW_LOG_LEVEL        fatal|error|warn|info|debug|trace|silent (default info)
  TICKFLOW_PARTITIONS       partitions per topic (default 4)
  TICKFLOW_TOPIC_PREFIX     prefix for every topic name (default none)
  TICKFLOW_WINDOW_SIZE      trades in the rolling window (default 20)
  TICKFLOW_PUBLISH_EVERY    publish window metrics every N trades of a symbol (default 10)
  TICKFLOW_BAR_LATENESS_MS  how long a bar waits for late trades before it closes (default 2000)
  TICKFLOW_ARCHIVE_BATCH    archive write batch, records (default 50)
  TICKFLOW_ARCHIVE_FLUSH_MS archive write interval, ms (default 1000)
  TICKFLOW_SIM_RATE         simulator trades per second (default 50)
  TICKFLOW_BUS              memory (embedded, default) or kafka, for \`up\`
  KAFKA_BROKERS             Kafka bootstrap brokers, host:port,... (default 127.0.0.1:9092)
  KAFKA_CLIENT_ID           client id prefix shown in broker logs (default tickflow)
  KAFKA_COMPRESSION         none|gzip|snappy|lz4|zstd (default snappy)
  TICKFLOW_INSTANCE_ID      this copy of a processor, stable across restarts (default the host name)
  KAFKA_SESSION_TIMEOUT_MS  a crashed member's partitions move on after this (default 30000, min 6000)
  TICKFLOW_RETENTION_MS     topic retention on Kafka (default 7 days; -1 forever)
`;
