import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.fleet-setting');

/** A fleet setting outside its range (or not a whole number): which one, what was given, what is allowed. */
export class FleetSettingError extends GodmodeError {
  private readonly [marker] = true;
  readonly setting: string;

  constructor(options: { setting: string; value: unknown; min: number; max: number }) {
    super({
      code: 'FLEET_SETTING',
      audience: 'user',
      message: `The fleet setting ${options.setting} is ${JSON.stringify(options.value)}; it must be a whole number from ${options.min} to ${options.max}.`,
      hint: `Give ${options.setting} a value in that range, or leave it out for its default.`,
    });
    this.name = 'FleetSettingError';
    this.setting = options.setting;
  }

  static override isInstance(error: unknown): error is FleetSettingError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
