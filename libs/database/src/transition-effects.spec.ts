import type { EntityManager } from 'typeorm';
import type { Effect, TransitionContext } from '@app/workflow';
import { TransitionEffects } from './transition-effects';

const manager = {} as EntityManager;
const context = { dossier: { id: 'd1' }, input: {} } as TransitionContext;
const effects: Effect[] = [
  { kind: 'notify', audience: 'applicant', event: 'stage_changed' },
  { kind: 'cancel_deadlines' },
  { kind: 'register_platform', documentNumber: '温科发〔2027〕1号', recognisedOn: '2027-06-01' },
];

describe('TransitionEffects', () => {
  it('hands each owner only the effects of its kinds, once per decision', async () => {
    const registry = new TransitionEffects();
    const seen: Record<string, string[][]> = { mail: [], registry: [], notices: [] };
    registry.register('mail', ['notify', 'deadline', 'cancel_deadlines'], async (_tx, mine) => {
      seen.mail.push(mine.map((e) => e.kind));
    });
    registry.register('registry', ['register_platform'], async (_tx, mine) => {
      seen.registry.push(mine.map((e) => e.kind));
    });
    registry.register('notices', ['notice'], async (_tx, mine) => {
      seen.notices.push(mine.map((e) => e.kind));
    });
    await registry.apply(manager, effects, context);
    expect(seen).toEqual({ mail: [['notify', 'cancel_deadlines']], registry: [['register_platform']], notices: [] });
    expect(registry.unowned()).toEqual([]);
  });

  it('refuses an effect nobody owns before any owner runs, and names the kinds still unowned', async () => {
    const registry = new TransitionEffects();
    const ran: string[] = [];
    registry.register('mail', ['notify'], async () => {
      ran.push('mail');
    });
    await expect(registry.apply(manager, effects, context)).rejects.toThrow(
      'No owner for effect kinds: cancel_deadlines, register_platform',
    );
    expect(ran).toEqual([]);
    expect(registry.unowned()).toEqual(['deadline', 'cancel_deadlines', 'register_platform', 'notice']);
  });

  it('refuses a second owner for a kind', () => {
    const registry = new TransitionEffects();
    registry.register('mail', ['notify'], async () => undefined);
    expect(() => registry.register('other', ['notify'], async () => undefined)).toThrow('already have an owner');
  });
});
