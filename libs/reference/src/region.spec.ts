import { regionNameKey } from './region.entity';

describe('regionNameKey', () => {
  it('writes every bracket form of a second name alike, without spaces', () => {
    for (const raw of [
      '温州高新区〈经开区〉',
      '温州高新区(经开区)',
      '温州高新区（经开区）',
      ' 温州高新区 <经开区> ',
      '温州高新区《经开区》',
    ]) {
      expect(regionNameKey(raw)).toBe(regionNameKey('温州高新区（经开区）'));
    }
  });

  it('keeps different names apart', () => {
    expect(regionNameKey('温州高新区')).not.toBe(regionNameKey('温州高新区（经开区）'));
    expect(regionNameKey('瑞安')).not.toBe(regionNameKey('瑞安市'));
  });
});
