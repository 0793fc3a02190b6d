/**
 * Sentence-embedding models known to work with @xenova/transformers for zh–en alignment, with the
 * pooling each was trained with. Sizes are the quantised ONNX download (onnx/model_quantized.onnx
 * plus tokenizer) as listed on the Hugging Face Hub; they were not re-measured here.
 */

/**
 * 'pooler': the model's pooler_output (CLS through dense+tanh), falling back to the raw CLS vector
 * when the ONNX graph does not expose it. 'cls': raw CLS vector. 'mean': attention-masked mean.
 */
export type PoolingKind = 'pooler' | 'cls' | 'mean';

export interface KnownModel {
  id: string;
  pooling: PoolingKind;
  dimension: number;
  /** Approximate download in MB (quantised weights + tokenizer). */
  downloadMB: number;
  /** Text prepended to every input (e5 models were trained with it). */
  prefix: string;
  note: string;
}

export const DEFAULT_MODEL_ID = 'Xenova/LaBSE';

export const KNOWN_MODELS: readonly KnownModel[] = [
  {
    id: 'Xenova/LaBSE',
    pooling: 'pooler',
    dimension: 768,
    downloadMB: 470,
    prefix: '',
    note: 'Best published zh–en alignment quality (Vecalign/Bertalign use it); 109 languages; slowest.',
  },
  {
    id: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2',
    pooling: 'mean',
    dimension: 384,
    downloadMB: 120,
    prefix: '',
    note: 'Small and fast (12 layers, 384 dims); paraphrase-trained, somewhat weaker on translation pairs.',
  },
  {
    id: 'Xenova/paraphrase-multilingual-mpnet-base-v2',
    pooling: 'mean',
    dimension: 768,
    downloadMB: 280,
    prefix: '',
    note: 'Middle ground between MiniLM and LaBSE.',
  },
  {
    id: 'Xenova/multilingual-e5-small',
    pooling: 'mean',
    dimension: 384,
    downloadMB: 120,
    prefix: 'query: ',
    note: 'Small; needs the "query: " prefix (added automatically).',
  },
  {
    id: 'Xenova/multilingual-e5-base',
    pooling: 'mean',
    dimension: 768,
    downloadMB: 280,
    prefix: 'query: ',
    note: 'Needs the "query: " prefix (added automatically).',
  },
];

export function knownModel(id: string): KnownModel | undefined {
  return KNOWN_MODELS.find((m) => m.id.toLowerCase() === id.toLowerCase());
}
