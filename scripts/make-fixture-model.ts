/**
 * Generates a tiny BERT model (2 layers, hidden 32) in the layout @xenova/transformers loads from a
 * local folder: <out>/<org>/<name>/{config.json, tokenizer.json, tokenizer_config.json,
 * onnx/model_quantized.onnx}. The weights are pseudo-random from a fixed seed, so the output is
 * byte-identical on every run; the graph uses the real BERT ops (embeddings with token types,
 * LayerNorm, masked self-attention, GELU FFN, pooler) so tests exercise the real inference path.
 *
 *   npm run model:fixture [-- --out test/fixtures/tiny-bert] [--id fixture/tiny-bert] [--no-pooler]
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import onnxProto from 'onnx-proto';
import { UsageError, parseCli, runCli, type CliSpec } from './cli-util.js';
import { seededRandom } from './seeded-random.js';
import { projectRoot } from '../server/project-root.js';

const { onnx } = onnxProto;
type INode = import('onnx-proto').onnx.INodeProto;
type ITensor = import('onnx-proto').onnx.ITensorProto;

export const FIXTURE_MODEL_ID = 'fixture/tiny-bert';
export const FIXTURE_DIR = join(projectRoot(), 'test', 'fixtures', 'tiny-bert');

export interface FixtureOptions {
  /** Emit pooler_output (dense+tanh on CLS) beside last_hidden_state. Default true. */
  pooler?: boolean;
  seed?: number;
}

const HIDDEN = 32;
const HEADS = 2;
const INTERMEDIATE = 64;
const LAYERS = 2;
const MAX_POS = 128;
// Attention carries more than the residual, so the CLS vector depends on the sentence (as after training).
const ATTN_GAIN = 4;

// ───────────────────────────── vocabulary ─────────────────────────────

const WORDS = `the of and to in a is that for it as was with be by on not he this are or his from at which
but have an they you were her she there been one all we their has would when if so no will what can more
out up who them some only into its time two may then do first any my now such like our over man me even
most made after also did many before must through back years where much your way well down should because
each just those people how too little state good very make world still own see men work long get here
between both life being under never day same another know while last might us great old year off come
since against go came right used take three states himself few house use during without again place
around however home small found thought went say part once general high upon school every don does got
united left number course war until always away something fact though water less public put think almost
hand enough far took head yet government system better set told nothing night end why called didn eyes
find going look asked later knew point next city business give group toward young let room president
side social given present several order national possible rather second face per among form often early
white case become large big need four within felt along children saw best church ever least power
development light thing seemed family interest want members mind country area others done turned although
open god service problem certain kind different thus began door help sense whole matter perhaps itself
york times law human line above name example action company hands local show whether five history gave
today either act feet across taken past quite anything having seen death body experience half really week
words field already information tell together college shall money period held keep sure probably free
real seems behind cannot miss political air question making office brought whose special heard major
problems ago became federal moment study available known result street economic boy position reason
change south board individual job areas society west close turn love community true court force full
meeting ministers foreign affairs international relations brics russian federation chairmanship held
via videoconferencing september statement media exchanged views regional issues political security
economic financial sustainable cooperation support initiatives united nations anniversary session
general assembly peace dialogue trade finance health pandemic covid multilateral cat sat mat dog
cooperation partnership strategic global governance reform council charter principles sovereignty
hello ok yes sentence sentences align alignment translation review chinese english model test`;

const PIECES = `s es ed ing ly er ers est ion ions ment ments al ity ive ness able ful less ous ize ized ic ical
ate ated ation ations ance ence ant ent ist ism ty th d n t r y e a o i u`;

/** Common Chinese characters (frequency lists; duplicates are dropped). */
const CJK = `的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去
行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知全已打工本间现开实力
高因由外各些但最明老新长两部回员机理体代动果物重业使文位向表合问关情样气手本电产政内正西三相头应通该资声等其系点比期
外数各路世界和平安全经济金融贸易合作发展国际地区问题会议部长外交关系联合国大会支持加强倡议双方领域共同关心继续讨论表示
俄罗斯联邦主持下独立通过视频举行就政治可持续重大交换意见并回顾进展还第届相互自可能性指出成立周年也次战争结束们在愿意
巴西印度南非中华人民共和国共和多边主义改革治理机构原则主权领土完整尊重平等对话协商解决冲突危机和平稳定恐怖主义反对形式
疫情新冠肺炎病毒卫生健康医疗疫苗研发防控团结应对挑战影响复苏增长就业贫困粮食能源气候变化环境保护科技创新数字网络空间信息
教育文化人文交流青年妇女媒体声明外长会晤九月日月年号时分秒一二三四五六七八九十百千万亿零两几第多少每个这那哪什么怎样
猫坐在垫子上狗你好句子对齐翻译审校中文英文模型测试的了是们我你他她它这那不在有和人中大国上来到说时要就出会可也对生能
而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开
但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被
利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条
平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治
展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观
清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击
流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史
委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某
案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织
害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承
印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷
洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊砖晤聚焦携手
怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢
欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湖钟奥婚旧莫晓抓编您`;

const ASCII_PUNCT = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;
const CJK_PUNCT = '，。、；：？！“”‘’（）《》【】—…·「」『』／％';

function buildVocab(): string[] {
  const vocab: string[] = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const seen = new Set(vocab);
  const add = (t: string): void => {
    if (t && !seen.has(t)) {
      seen.add(t);
      vocab.push(t);
    }
  };
  for (const c of ASCII_PUNCT) add(c);
  for (const c of CJK_PUNCT) add(c);
  for (let d = 0; d <= 9; d++) add(String(d));
  for (let d = 0; d <= 9; d++) add(`##${d}`);
  for (let c = 97; c <= 122; c++) add(String.fromCharCode(c));
  for (let c = 97; c <= 122; c++) add(`##${String.fromCharCode(c)}`);
  for (const w of WORDS.split(/\s+/)) add(w);
  for (const p of PIECES.split(/\s+/)) add(`##${p}`);
  for (const c of CJK.replace(/\s+/g, '')) add(c);
  return vocab;
}

function tokenizerJson(vocab: string[]): unknown {
  const ids: Record<string, number> = {};
  vocab.forEach((t, i) => {
    ids[t] = i;
  });
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const specialTokens: Record<string, { id: string; ids: number[]; tokens: string[] }> = {};
  for (const t of ['[CLS]', '[SEP]']) specialTokens[t] = { id: t, ids: [ids[t] ?? 0], tokens: [t] };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((t) => ({
      id: ids[t],
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: specialTokens,
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

// ───────────────────────────── ONNX graph ─────────────────────────────


class GraphBuilder {
  nodes: INode[] = [];
  inits: ITensor[] = [];
  private n = 0;
  constructor(private readonly rand: () => number) {}

  private name(p: string): string {
    return `${p}_${this.n++}`;
  }
  floatInit(name: string, dims: number[], values: Float32Array): string {
    this.inits.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer) });
    return name;
  }
  randInit(name: string, dims: number[], scale: number): string {
    const size = dims.reduce((x, y) => x * y, 1);
    const v = new Float32Array(size);
    for (let i = 0; i < size; i++) v[i] = (this.rand() * 2 - 1) * scale;
    return this.floatInit(name, dims, v);
  }
  constInit(name: string, dims: number[], value: number): string {
    const size = dims.reduce((x, y) => x * y, 1);
    return this.floatInit(name, dims, new Float32Array(size).fill(value));
  }
  scalar(value: number): string {
    return this.floatInit(this.name('c'), [], new Float32Array([value]));
  }
  int64(values: number[], dims: number[] = [values.length]): string {
    const name = this.name('i');
    const v = new BigInt64Array(values.map((x) => BigInt(x)));
    this.inits.push({ name, dims, dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(v.buffer) });
    return name;
  }
  op(opType: string, inputs: string[], attrs: Record<string, number | number[]> = {}, output?: string): string {
    const out = output ?? this.name(opType.toLowerCase());
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v)
        ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
        : Number.isInteger(v)
          ? { name, type: onnx.AttributeProto.AttributeType.INT, i: v }
          : { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v },
    );
    this.nodes.push({ opType, input: inputs, output: [out], name: this.name(`n_${opType}`), attribute });
    return out;
  }
  linear(x: string, inDim: number, outDim: number, prefix: string, gain = 1): string {
    const w = this.randInit(`${prefix}.weight`, [inDim, outDim], gain / Math.sqrt(inDim));
    const b = this.randInit(`${prefix}.bias`, [outDim], 0.01);
    return this.op('Add', [this.op('MatMul', [x, w]), b]);
  }
  /** LayerNorm over the last axis, decomposed as ONNX exporters before opset 17 emit it. */
  layerNorm(x: string, prefix: string, output?: string): string {
    const mean = this.op('ReduceMean', [x], { axes: [-1], keepdims: 1 });
    const d = this.op('Sub', [x, mean]);
    const variance = this.op('ReduceMean', [this.op('Mul', [d, d])], { axes: [-1], keepdims: 1 });
    const std = this.op('Sqrt', [this.op('Add', [variance, this.scalar(1e-12)])]);
    const gamma = this.constInit(`${prefix}.gamma`, [HIDDEN], 1);
    const beta = this.randInit(`${prefix}.beta`, [HIDDEN], 0.01);
    return this.op('Add', [this.op('Mul', [this.op('Div', [d, std]), gamma]), beta], {}, output);
  }
}

export function buildOnnxModel(vocabSize: number, opts: FixtureOptions = {}): Uint8Array {
  const g = new GraphBuilder(seededRandom(opts.seed ?? 20200904));
  const headDim = HIDDEN / HEADS;

  // Embeddings: word + position + token type, then LayerNorm.
  const wordEmb = g.randInit('embeddings.word_embeddings.weight', [vocabSize, HIDDEN], 1);
  const posEmb = g.randInit('embeddings.position_embeddings.weight', [MAX_POS, HIDDEN], 0.1);
  const typeEmb = g.randInit('embeddings.token_type_embeddings.weight', [2, HIDDEN], 0.1);
  const words = g.op('Gather', [wordEmb, 'input_ids'], { axis: 0 });
  const seqLen = g.op('Gather', [g.op('Shape', ['input_ids']), g.int64([1], [])], { axis: 0 });
  const positions = g.op('Range', [g.int64([0], []), seqLen, g.int64([1], [])]);
  const pos = g.op('Gather', [posEmb, positions], { axis: 0 });
  const types = g.op('Gather', [typeEmb, 'token_type_ids'], { axis: 0 });
  let x = g.layerNorm(g.op('Add', [g.op('Add', [words, pos]), types]), 'embeddings.LayerNorm');

  // Additive attention mask [B,1,1,S]: 0 where attended, -10000 at padding (exp underflows to 0).
  const maskF = g.op('Cast', ['attention_mask'], { to: onnx.TensorProto.DataType.FLOAT });
  const inv = g.op('Sub', [g.scalar(1), maskF]);
  const ext = g.op('Unsqueeze', [g.op('Mul', [inv, g.scalar(-10000)]), g.int64([1, 2])]);
  const headsShape = g.int64([0, 0, HEADS, headDim]);
  const mergeShape = g.int64([0, 0, HIDDEN]);

  for (let l = 0; l < LAYERS; l++) {
    const p = `encoder.layer.${l}`;
    const q = g.op('Transpose', [g.op('Reshape', [g.linear(x, HIDDEN, HIDDEN, `${p}.attention.self.query`), headsShape])], { perm: [0, 2, 1, 3] });
    const k = g.op('Transpose', [g.op('Reshape', [g.linear(x, HIDDEN, HIDDEN, `${p}.attention.self.key`), headsShape])], { perm: [0, 2, 3, 1] });
    const v = g.op('Transpose', [g.op('Reshape', [g.linear(x, HIDDEN, HIDDEN, `${p}.attention.self.value`, ATTN_GAIN), headsShape])], { perm: [0, 2, 1, 3] });
    const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [q, k]), g.scalar(Math.sqrt(headDim))]), ext]);
    const probs = g.op('Softmax', [scores], { axis: -1 });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), mergeShape]);
    const attnOut = g.linear(ctx, HIDDEN, HIDDEN, `${p}.attention.output.dense`, ATTN_GAIN);
    x = g.layerNorm(g.op('Add', [attnOut, x]), `${p}.attention.output.LayerNorm`);
    // FFN with exact GELU: 0.5·h·(1 + erf(h/√2)).
    const h = g.linear(x, HIDDEN, INTERMEDIATE, `${p}.intermediate.dense`);
    const erf = g.op('Erf', [g.op('Div', [h, g.scalar(Math.SQRT2)])]);
    const gelu = g.op('Mul', [g.op('Mul', [h, g.scalar(0.5)]), g.op('Add', [erf, g.scalar(1)])]);
    const out = g.linear(gelu, INTERMEDIATE, HIDDEN, `${p}.output.dense`);
    x = g.layerNorm(g.op('Add', [out, x]), `${p}.output.LayerNorm`, l === LAYERS - 1 ? 'last_hidden_state' : undefined);
  }

  const dynamic = (name: string, elem: number, dims: (string | number)[]) => ({
    name,
    type: { tensorType: { elemType: elem, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  const outputs = [dynamic('last_hidden_state', onnx.TensorProto.DataType.FLOAT, ['batch_size', 'sequence_length', HIDDEN])];
  if (opts.pooler !== false) {
    const cls = g.op('Gather', ['last_hidden_state', g.int64([0], [])], { axis: 1 });
    g.op('Tanh', [g.linear(cls, HIDDEN, HIDDEN, 'pooler.dense')], {}, 'pooler_output');
    outputs.push(dynamic('pooler_output', onnx.TensorProto.DataType.FLOAT, ['batch_size', HIDDEN]));
  }

  const i64 = onnx.TensorProto.DataType.INT64;
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'bitext-review make-fixture-model',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny_bert',
      node: g.nodes,
      initializer: g.inits,
      input: ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => dynamic(n, i64, ['batch_size', 'sequence_length'])),
      output: outputs,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The fixture's files (relative path → bytes); deterministic for given options. */
export function fixtureFiles(modelId = FIXTURE_MODEL_ID, opts: FixtureOptions = {}): Map<string, Uint8Array> {
  const vocab = buildVocab();
  const config = {
    _name_or_path: modelId,
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: vocab.length,
    hidden_size: HIDDEN,
    num_hidden_layers: LAYERS,
    num_attention_heads: HEADS,
    intermediate_size: INTERMEDIATE,
    hidden_act: 'gelu',
    max_position_embeddings: MAX_POS,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: MAX_POS,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
    clean_up_tokenization_spaces: true,
  };
  const text = (v: unknown, pretty: boolean): Uint8Array => Buffer.from(`${JSON.stringify(v, null, pretty ? 2 : undefined)}\n`);
  return new Map<string, Uint8Array>([
    ['config.json', text(config, true)],
    ['tokenizer.json', text(tokenizerJson(vocab), false)],
    ['tokenizer_config.json', text(tokenizerConfig, true)],
    ['onnx/model_quantized.onnx', buildOnnxModel(vocab.length, opts)],
  ]);
}

/** Writes the fixture into <outDir>/<modelId>/ atomically (temp dir + rename) and returns that folder. */
export function writeFixtureModel(outDir: string, modelId = FIXTURE_MODEL_ID, opts: FixtureOptions = {}): string {
  return writeFiles(join(outDir, ...modelId.split('/')), fixtureFiles(modelId, opts));
}

function writeFiles(target: string, files: Map<string, Uint8Array>): string {
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  for (const [rel, bytes] of files) {
    mkdirSync(dirname(join(tmp, rel)), { recursive: true });
    writeFileSync(join(tmp, rel), bytes);
  }
  mkdirSync(dirname(target), { recursive: true });
  // Move the old folder aside and the new one in: readers never see a half-written folder.
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
  return target;
}

function sameFiles(target: string, files: Map<string, Uint8Array>): boolean {
  return [...files].every(([rel, bytes]) => {
    try {
      return Buffer.from(bytes).equals(readFileSync(join(target, rel)));
    } catch {
      return false;
    }
  });
}

/**
 * The fixture folder for tests: (re)written only when missing or different from what the
 * generator makes. Test files run in parallel processes, so writers take a lock (an atomic mkdir).
 */
export function ensureFixtureModel(outDir = FIXTURE_DIR, modelId = FIXTURE_MODEL_ID): string {
  const target = join(outDir, ...modelId.split('/'));
  const files = fixtureFiles(modelId);
  if (sameFiles(target, files)) return target;
  const lock = `${target}.lock`;
  mkdirSync(dirname(target), { recursive: true });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true }); // stale lock of a killed run
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return sameFiles(target, files) ? target : writeFiles(target, files);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const spec: CliSpec = {
  command: 'npm run model:fixture --',
  description: 'Writes a tiny deterministic BERT model (ONNX + WordPiece tokenizer) for offline tests.',
  options: {
    out: { type: 'string', arg: 'DIR', default: FIXTURE_DIR, help: 'model folder to write into' },
    id: { type: 'string', arg: 'ORG/NAME', default: FIXTURE_MODEL_ID, help: 'model id (sub-folder)' },
    'no-pooler': { type: 'boolean', help: 'leave pooler_output out of the graph (tests the CLS fallback)' },
  },
};

function main(): void {
  const cli = parseCli(spec);
  const out = resolve(cli.string('out') ?? FIXTURE_DIR);
  const id = cli.string('id') ?? FIXTURE_MODEL_ID;
  if (!/^[\w.-]+\/[\w.-]+$/.test(id)) throw new UsageError(`--id must look like ORG/NAME, got "${id}"`);
  const t0 = performance.now();
  const dir = writeFixtureModel(out, id, { pooler: !cli.flag('no-pooler') });
  process.stderr.write(`wrote ${dir} in ${Math.round(performance.now() - t0)} ms\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) runCli(main);
