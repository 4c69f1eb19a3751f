/** Injection tokens for values `startTocsin` prepares before the application exists. */
export const INSTANCE_ID = Symbol('InstanceId');
export const ROOT_LOGGER = Symbol('RootLogger');
