/** Injection tokens for values `startTocsin` prepares before the application exists. */
export const INSTANCE_ID = Symbol('InstanceId');
export const ROOT_LOGGER = Symbol('RootLogger');
/** The environment `startTocsin` was given (process.env in production, a test's own map in tests). */
export const APP_ENV = Symbol('AppEnv');
