/** Phases of the day by the sun's elevation and whether it is rising or setting. */
export type SunPhase = 'night' | 'dawn' | 'sunrise' | 'day' | 'golden' | 'sunset' | 'dusk';
