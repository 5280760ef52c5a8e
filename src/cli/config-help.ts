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
  TICKFLOW_TOPIC_<KIND>     one topic's name, the prefix still applying; KIND is RAW, METRICS, PRICE_EVENTS,
                            SIGNALS, ALERTS, DEAD_LETTER, ORDERS, EXECUTIONS (tickflow topics names shows them)
  KAFKA_PRICE_EVENTS_TOPIC  accepted for TICKFLOW_TOPIC_PRICE_EVENTS
  TICKFLOW_WINDOW_SIZE      trades in the rolling window (default 20)
  TICKFLOW_PUBLISH_EVERY    publish window metrics every N trades of a symbol (default 10)
  TICKFLOW_BAR_LATENESS_MS  how long a bar waits for late trades before it closes (default 2000)
  TICKFLOW_ARCHIVE_BATCH    archive write batch, records (default 50)
  TICKFLOW_ARCHIVE_FLUSH_MS archive write interval, ms (default 1000)
  TICKFLOW_STORE_BATCH      storage write batch, records (default 500)
  TICKFLOW_STORE_FLUSH_MS   storage write interval, ms (default 1000)
  TICKFLOW_SHUTDOWN_TIMEOUT_MS  bound on a graceful shutdown before exiting anyway (default 20000)
  TICKFLOW_SIM_RATE         simulator trades per second (default 50)
  TICKFLOW_BUS              memory (embedded, default) or kafka, for \`up\`
  TICKFLOW_JOURNAL          on|off: embedded up journals received trades before the bus, for crashes (default on)
  KAFKA_BROKERS             Kafka bootstrap brokers, host:port,... (default 127.0.0.1:9092)
  KAFKA_BOOTSTRAP_SERVERS   accepted for KAFKA_BROKERS
  KAFKA_CLIENT_ID           client id prefix shown in broker logs (default tickflow)
  KAFKA_COMPRESSION         none|gzip|snappy|lz4|zstd (default snappy)
  TICKFLOW_INSTANCE_ID      this copy of a processor, stable across restarts (default the host name)
  KAFKA_SESSION_TIMEOUT_MS  a crashed member's partitions move on after this (default 30000, min 6000)
  KAFKA_SECURITY_PROTOCOL   PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL, for every Kafka client (default PLAINTEXT)
  KAFKA_SASL_MECHANISM      with SASL_*: PLAIN|SCRAM-SHA-256|SCRAM-SHA-512
  KAFKA_SASL_USERNAME       with SASL_*: the user
  KAFKA_SASL_PASSWORD       with SASL_*: the password. Never logged
  KAFKA_SSL_CA_FILE         with SSL/SASL_SSL: PEM file of the CA(s) the brokers' certificates chain to
                            (default Node.js's public CAs)
  KAFKA_SSL_CERT_FILE       mutual TLS: PEM client certificate (with KAFKA_SSL_KEY_FILE)
  KAFKA_SSL_KEY_FILE        mutual TLS: PEM private key of that certificate
  KAFKA_SSL_KEY_PASSWORD    passphrase of an encrypted KAFKA_SSL_KEY_FILE. Never logged
  KAFKA_SSL_INSECURE_SKIP_HOSTNAME_VERIFICATION  true: accept broker certificates for any host (default false).
                            INSECURE: anyone with a certificate from the same CA can pose as the broker
  DATABASE_URL              PostgreSQL (postgres://…); default the embedded store in TICKFLOW_DATA_DIR/store.
                            TLS: ?sslmode=verify-full&sslrootcert=/path/ca.pem (libpq's meaning; also require,
                            verify-ca, disable; sslcert/sslkey for a client certificate). Its password is never shown
  PGSSLMODE                 sslmode for a DATABASE_URL without one (default none: no TLS)
  PGSSLROOTCERT             sslrootcert for a DATABASE_URL without one: the server's CA file, or system
  QUOTE_PROVIDERS           REST fallback for latest prices, in order (default finnhub,alpha_vantage)
  FINNHUB_REST_URL          Finnhub REST base (default https://finnhub.io/api/v1)
  ALPHAVANTAGE_API_KEY      Alpha Vantage is asked only with a key
  ALPHAVANTAGE_URL          Alpha Vantage base (default https://www.alphavantage.co)
  TICKFLOW_QUOTE_TIMEOUT_MS one provider call, body included (default 5000)
  TICKFLOW_PRICE_FRESH_MS   a streamed trade newer than this answers /v1/prices/latest (default 60000)
  TICKFLOW_PRICE_CACHE_MS   how long a provider answer is reused (default 5000)
  TICKFLOW_MA_WINDOWS       moving-average windows over price-events (default 20)
  TICKFLOW_CORS_ORIGINS     origins allowed to call the API from a browser (default none; * for any)
  TICKFLOW_API_RATE_LIMIT   requests per minute per client on provider-backed routes (default 60; 0 off)
  KINESIS_STREAM            also publish raw market data to this Kinesis stream (AWS_REGION, KINESIS_ENDPOINT)
  TICKFLOW_RETENTION_MS     topic retention on Kafka (default 7 days; -1 forever)
  TICKFLOW_STRATEGIES       signal strategies per symbol: JSON, or a JSON file's path (default built in)
  TICKFLOW_TRADERS          traders turning strategies' signals into paper orders: JSON, or a JSON file's path (default none)
  TICKFLOW_ALERTS_RELOAD_MS how often the alerts processor rereads the rules (default 1000)
  TICKFLOW_WS_TOKEN         bearer token the WebSocket endpoints require (default none). Never logged
  TICKFLOW_ADMIN_TOKEN      bearer token of every change on /v1 (alert rules, accounts) and of /v1/accounts
                            (default generated into TICKFLOW_DATA_DIR/admin-token). Never logged
  TICKFLOW_API_READ_TOKEN   when set, bearer token the read routes (GET /v1/..., /status) require; the admin
                            token also reads (default none: reads are open). Never logged
  TICKFLOW_WS_HEARTBEAT_MS  WebSocket ping interval; a client missing a pong is dropped (default 15000)
  TICKFLOW_WS_BUFFER        messages a slow WebSocket client may have waiting (default 1000)
`;
