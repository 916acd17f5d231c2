/**
 * Message catalogs. Every string a screen shows comes from here, in English, Norwegian Bokmål and Spanish;
 * the till's locale picks one (falling back to English).
 */
const en = {
  scanner: 'Scanner',
  printer: 'Printer',
  deviceConnected: 'Connected',
  deviceDisconnected: 'Disconnected',
  deviceUnavailable: 'Unavailable',
  deviceNotConfigured: 'Not configured',
  appTitle: 'till-agent',
  branch: 'Branch',
  till: 'Till',
  mode: 'Mode',
  version: 'Version',
  agent: 'Agent',
  connected: 'Connected',
  disconnected: 'Not connected: retrying…',
  online: 'Online',
  offline: 'Offline',
  unconfigured: 'Not configured',
  queue: 'Sync queue',
  queuePending: 'waiting',
  queueAttention: 'need attention',
  demo: 'Demo till',
  cashier: 'Cashier',
  kiosk: 'Kiosk',
  loading: 'Connecting to the till agent…',
  noToken: 'This screen needs the link the agent printed at start-up (it carries the access token).',
  failed: 'The till agent did not answer',
  backends: 'Back ends',
};

export type Messages = typeof en;

const nb: Messages = {
  scanner: 'Skanner',
  printer: 'Skriver',
  deviceConnected: 'Tilkoblet',
  deviceDisconnected: 'Frakoblet',
  deviceUnavailable: 'Utilgjengelig',
  deviceNotConfigured: 'Ikke konfigurert',
  appTitle: 'till-agent',
  branch: 'Butikk',
  till: 'Kasse',
  mode: 'Modus',
  version: 'Versjon',
  agent: 'Agent',
  connected: 'Tilkoblet',
  disconnected: 'Ikke tilkoblet: prøver igjen…',
  online: 'Tilkoblet',
  offline: 'Frakoblet',
  unconfigured: 'Ikke konfigurert',
  queue: 'Synkroniseringskø',
  queuePending: 'venter',
  queueAttention: 'trenger oppfølging',
  demo: 'Demokasse',
  cashier: 'Kasse',
  kiosk: 'Selvbetjening',
  loading: 'Kobler til kasseagenten…',
  noToken: 'Denne skjermen trenger lenken agenten skrev ut ved oppstart (den har tilgangsnøkkelen).',
  failed: 'Kasseagenten svarte ikke',
  backends: 'Tjenester',
};

const es: Messages = {
  scanner: 'Escáner',
  printer: 'Impresora',
  deviceConnected: 'Conectado',
  deviceDisconnected: 'Desconectado',
  deviceUnavailable: 'No disponible',
  deviceNotConfigured: 'Sin configurar',
  appTitle: 'till-agent',
  branch: 'Tienda',
  till: 'Caja',
  mode: 'Modo',
  version: 'Versión',
  agent: 'Agente',
  connected: 'Conectado',
  disconnected: 'Sin conexión: reintentando…',
  online: 'En línea',
  offline: 'Sin conexión',
  unconfigured: 'Sin configurar',
  queue: 'Cola de sincronización',
  queuePending: 'en espera',
  queueAttention: 'requieren atención',
  demo: 'Caja de demostración',
  cashier: 'Caja',
  kiosk: 'Autoservicio',
  loading: 'Conectando con el agente de caja…',
  noToken: 'Esta pantalla necesita el enlace que el agente mostró al arrancar (lleva la clave de acceso).',
  failed: 'El agente de caja no respondió',
  backends: 'Servicios',
};

const CATALOGS: Record<string, Messages> = { en, nb, no: nb, es };

export function messagesFor(locale: string): Messages {
  const language = locale.toLowerCase().split('-')[0] ?? 'en';
  return CATALOGS[language] ?? en;
}
