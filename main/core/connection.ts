/** Whether a back end can be reached: `unconfigured` means the till has no address or credentials for it. */
export type ConnectionState = 'online' | 'offline' | 'unconfigured';
