/** The 14 standard-plane classes of METHOD.md / PLANES.md, in a fixed index order. */
export const PLANE_CLASSES = [
  '3VT',
  '4CH',
  'abdomen',
  'femur',
  'brain_tv',
  'kidneys',
  'LVOT',
  'lips',
  'profile',
  'RVOT',
  'brain_tc',
  'spine_cor',
  'spine_sag',
  'background',
] as const;

export type PlaneClass = (typeof PLANE_CLASSES)[number];

export const PLANE_NAMES: Record<PlaneClass, string> = {
  '3VT': 'three vessels and trachea',
  '4CH': 'heart four-chamber',
  abdomen: 'abdomen',
  femur: 'femur',
  brain_tv: 'brain transventricular',
  kidneys: 'kidneys',
  LVOT: 'left ventricular outflow tract',
  lips: 'lips',
  profile: 'profile',
  RVOT: 'right ventricular outflow tract',
  brain_tc: 'brain transcerebellar',
  spine_cor: 'spine coronal',
  spine_sag: 'spine sagittal',
  background: 'background',
};

export const HEART_CLASSES: readonly PlaneClass[] = ['4CH', 'LVOT', 'RVOT', '3VT'];

export function planeIndex(cls: PlaneClass): number {
  return PLANE_CLASSES.indexOf(cls);
}

export function isPlaneClass(value: string): value is PlaneClass {
  return (PLANE_CLASSES as readonly string[]).includes(value);
}
