import type { PlaneClass } from '../planes.js';

/** Informal narration naming or describing each standard plane (never 'background'). */
export const ANATOMY_PHRASES: Readonly<Record<Exclude<PlaneClass, 'background'>, readonly string[]>> = {
  '3VT': [
    'and this is the three vessel and trachea view',
    'three vessels, trachea on the right',
    'there, the three vessel view, looks nice',
    "ok, that's the three vessels and the trachea",
    'checking the three vessel trachea view now',
  ],
  '4CH': [
    "ok, so that's the four chamber view",
    'four chamber heart, looks good',
    'there is the four chamber view, nice and symmetrical',
    "let's get the four chamber, there we go",
    'heart looks good, four chambers',
  ],
  abdomen: [
    "there's the stomach bubble and the cord insertion",
    "ok, abdominal circumference, let's measure that",
    'this is the tummy, stomach on the left',
    'abdomen now, I can see the stomach',
    "let's measure the abdomen",
  ],
  femur: [
    "let's measure the femur",
    "that's the thigh bone, the femur",
    'femur length, just measuring that',
    'there is the femur, nice and straight',
    'ok, leg bone, measuring the femur now',
  ],
  brain_tv: [
    "so this is the baby's head, the ventricles",
    "let's measure the head circumference",
    'transventricular view, the ventricle looks normal',
    'head measurement now, at the level of the ventricles',
    'that is the brain, lateral ventricle is fine',
  ],
  brain_tc: [
    'and here is the cerebellum at the back of the head',
    "let's look at the cerebellum",
    "that's the transcerebellar plane",
    'cerebellum and cisterna magna, they look normal',
    'measuring the cerebellum now',
  ],
  kidneys: [
    'there are the two kidneys, either side of the spine',
    "let's look at the kidneys",
    'kidneys look fine',
    "that's both kidneys, nice",
    'checking the kidneys now',
  ],
  LVOT: [
    'left ventricular outflow tract',
    "there's the aorta coming off the left ventricle",
    "ok, that's the left outflow",
    'looking at the outflow tracts, this is the left one',
    'aorta, left outflow, looks normal',
  ],
  RVOT: [
    'and the right outflow tract',
    "that's the pulmonary artery crossing over",
    'right ventricular outflow, there we go',
    'there is the right outflow, the pulmonary artery',
    'now the right outflow tract',
  ],
  lips: [
    'these are the lips, no cleft',
    "let's check the lips",
    'upper lip looks intact',
    "there's the mouth and the nose, lips look fine",
    'lips, all normal',
  ],
  profile: [
    'nice profile',
    'there is the profile, you can see the nose',
    "that's baby's face from the side",
    'side view of the face, the profile',
    'nice little profile there, nasal bone is present',
  ],
  spine_cor: [
    'spine in the coronal plane',
    'looking at the spine from the back now',
    "that's the spine, coronal, all closed",
    'coronal view of the spine, looks fine',
    'spine from behind, nice and even',
  ],
  spine_sag: [
    'looking at the spine now, sagittal',
    "let's have a look at the spine",
    'there is the spine, all the way down, skin covering is intact',
    'sagittal spine, looks good',
    'spine along its length, nice',
  ],
};

/** Things the sonographer says that are not about the image. */
export const SONOGRAPHER_CHATTER: readonly string[] = [
  'are you comfortable?',
  "we're nearly done",
  'did you find parking ok?',
  "you'll feel a bit of pressure now",
  'sorry, the gel is a bit cold',
  'can you roll slightly onto your left side for me?',
  "baby isn't in the best position, let's give it a minute",
  'just a few more pictures',
  'you can breathe normally',
  'is this your first scan?',
  "I'll print you some pictures at the end",
  'bear with me, I just need to get a better angle',
  "everything's going fine so far",
  'how have you been feeling?',
];

/** A question to the patient and the patient's possible answers. */
export interface ChatterExchange {
  question: string;
  answers: readonly string[];
}

export const CHATTER_EXCHANGES: readonly ChatterExchange[] = [
  { question: 'are you comfortable?', answers: ['yes, fine thanks', "I'm ok", 'a bit, yes'] },
  { question: 'did you find parking ok?', answers: ['eventually, yes', 'it took ages', 'we came by bus'] },
  { question: 'is this your first scan?', answers: ['yes, first baby', 'no, this is our second', 'yes, I am quite nervous'] },
  { question: 'how have you been feeling?', answers: ['a bit tired, but fine', 'much better now', 'the sickness has stopped'] },
  { question: 'do you want to know the sex?', answers: ['no, we want a surprise', 'yes please', "we haven't decided"] },
];

/** Things the patient (or partner) says unprompted. */
export const PATIENT_CHATTER: readonly string[] = [
  'is everything ok?',
  'what are we looking at now?',
  'oh wow, is that the heart?',
  'can we get a picture of that?',
  'sorry, I need the toilet soon',
  'it tickles a bit',
];
