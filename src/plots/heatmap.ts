// Heat-map drawers: the confusion matrix and the saliency overlay pair.
export { drawConfusionMatrix, layoutConfusionMatrix, type ConfusionMatrixLayout, type ConfusionMatrixOptions } from './confusion-matrix.js';
export { drawSaliencyPair, layoutSaliencyPair, type GrayFrame, type SaliencyMap, type SaliencyPairLayout } from './saliency-pair.js';
