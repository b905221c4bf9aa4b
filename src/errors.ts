/**
 * A problem with something the user gave: a file, a path, a setting, a missing program.
 * The command line prints its message alone, without a stack, and exits with status 2;
 * the message must therefore name the input and say what was wrong with it.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/**
 * A command that ran and found something wrong outside skychoir (a provider refusing, a
 * server down). The command line prints its message alone and exits with status 1.
 */
export class CheckFailed extends Error {
  override name = 'CheckFailed';
}
