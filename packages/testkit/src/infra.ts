/** Where a test run's Kafka and Redis are. */
export interface Infra {
  /** Comma list of bootstrap brokers, as in KAFKA_BROKERS. */
  kafkaBrokers: string;
  /** redis:// URL, as in REDIS_URL. */
  redisUrl: string;
}

/** How each part was obtained, for the start-up line. */
export type InfraSource = 'env' | 'container' | 'local';

/** Infra a caller obtained and must release with `stop()` (a no-op for what came from env). */
export interface ProvisionedInfra extends Infra {
  sources: { kafka: InfraSource; redis: InfraSource };
  stop(): Promise<void>;
}

/** A URL fit for a log line: any password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
