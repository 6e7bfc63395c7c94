/**
 * Summarises a V8 CPU profile (the `.cpuprofile` that `node --cpu-prof` writes) of one start of
 * the service: where the CPU time went, by start-up step and by function.
 */

/** The parts of Node's `.cpuprofile` JSON that the summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string };
    children?: number[];
  }[];
  samples: number[];
  /** Microseconds between consecutive samples; the first is measured from the profile start. */
  timeDeltas: number[];
}

/** A start-up step, measured as the inclusive time of the functions that perform it. */
export interface StartupStep {
  label: string;
  functionNames: string[];
}

export interface ProfileSummary {
  /** CPU time in samples that were not idle, in milliseconds. */
  busyMs: number;
  /** Inclusive milliseconds per step; steps nest, so their sum can exceed busyMs. */
  steps: { label: string; ms: number }[];
  /** The functions with the most self time, with the file they are in. */
  topSelf: { name: string; file: string; ms: number }[];
}

/**
 * The steps of this service's start-up, by the function names in the bundle (esbuild keeps
 * names when it only removes whitespace).
 */
export const STARTUP_STEPS: StartupStep[] = [
  {
    label: 'V8 compiling JavaScript (`wrapSafe`, or `Script` with a code cache)',
    functionNames: ['wrapSafe', 'Script'],
  },
  {
    label: 'creating the app: routes, records database (`createApp`)',
    functionNames: ['createApp'],
  },
  { label: 'loading the templating engine', functionNames: ['loadTemplatingEngine'] },
  { label: 'compiling the card templates', functionNames: ['parseTemplateText'] },
  { label: 'garbage collection', functionNames: ['(garbage collector)'] },
];

/** Steps of a turn under load, by function name. */
export const LOAD_STEPS: StartupStep[] = [
  { label: 'verifying signatures (`verifySignature`)', functionNames: ['verifySignature'] },
  { label: 'parsing activities (`parseActivity`)', functionNames: ['parseActivity'] },
  { label: 'running turns (`processActivity`)', functionNames: ['processActivity'] },
  { label: 'expanding card templates (`renderCard`)', functionNames: ['renderCard'] },
  { label: 'garbage collection', functionNames: ['(garbage collector)'] },
];

const IDLE = '(idle)';

function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    const deltaMs = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + deltaMs);
  });
  return self;
}

/** Shortens a script URL or an esbuild module name to the part after node_modules or dist. */
function shortPath(path: string): string {
  const cleaned = path.replace(/^file:\/\//, '');
  const packageMatch = /.*node_modules\/(.*)$/.exec(cleaned);
  if (packageMatch !== null) {
    return packageMatch[1];
  }
  return cleaned.replace(/^.*\/dist\//, 'dist/').replace(/^(\.\.\/)+/, '');
}

/** Summarises `profile`, with `top` functions by self time. */
export function summariseProfile(
  profile: CpuProfile,
  steps: StartupStep[] = STARTUP_STEPS,
  top = 10,
): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = selfTimes(profile);
  const inclusive = new Map<number, number>();
  const totalOf = (id: number): number => {
    const node = nodes.get(id);
    if (node === undefined || inclusive.has(id)) {
      return inclusive.get(id) ?? 0;
    }
    const own = node.callFrame.functionName === IDLE ? 0 : (self.get(id) ?? 0);
    const total = (node.children ?? []).reduce((sum, child) => sum + totalOf(child), own);
    inclusive.set(id, total);
    return total;
  };
  const rootId = profile.nodes[0]?.id ?? 0;
  const busyMs = totalOf(rootId);

  const stepMs = steps.map(() => 0);
  const walk = (id: number, open: boolean[]) => {
    const node = nodes.get(id);
    if (node === undefined) {
      return;
    }
    const inside = steps.map((step, index) => {
      const starts = !open[index] && step.functionNames.includes(node.callFrame.functionName);
      if (starts) {
        stepMs[index] += inclusive.get(id) ?? 0;
      }
      return open[index] || starts;
    });
    (node.children ?? []).forEach((child) => walk(child, inside));
  };
  walk(
    rootId,
    steps.map(() => false),
  );

  const byFunction = new Map<string, { name: string; file: string; ms: number }>();
  for (const [id, ms] of self) {
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined || frame.functionName === IDLE) {
      continue;
    }
    const name = shortPath(frame.functionName) || '(anonymous)';
    const file = frame.url === '' ? '(native)' : shortPath(frame.url);
    const key = `${name}\n${file}`;
    const entry = byFunction.get(key) ?? { name, file, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
  }
  const topSelf = [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, top);
  return {
    busyMs,
    steps: steps.map((step, index) => ({ label: step.label, ms: stepMs[index] })),
    topSelf,
  };
}
