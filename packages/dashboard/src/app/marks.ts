/** performance.mark name: the first headline figures rendered (read by bench/run.ts). */
export const FIRST_FIGURES = 'pulse:first-figures';
