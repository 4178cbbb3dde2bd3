/** Types of redis-cluster.mjs (plain JavaScript, since Jest's global setup loads it untransformed). */
export interface RedisClusterProcesses {
  /** "127.0.0.1:<port>" of each master. */
  readonly nodes: string[];
  stop(): Promise<void>;
}

export function startRedisCluster(
  serverBinary: string,
  cliBinary?: string,
  masters?: number,
  ports?: number[],
): Promise<RedisClusterProcesses>;

/** A free loopback port whose cluster bus port (port + 10000) exists and is free too. */
export function clusterNodePort(taken?: number[]): Promise<number>;
