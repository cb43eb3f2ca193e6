/// What llama.cpp does with each `tokenizer.ggml.pre` name of a byte-level BPE vocabulary
/// (`llm_tokenizer_bpe` and the name table in `src/llama-vocab.cpp`): the regexes it splits with,
/// each subdividing the pieces of the one before (a `Sequence` of `Split`s, isolated), whether
/// the pieces are then mapped to GPT-2's byte alphabet, and whether a piece found whole in the
/// vocabulary skips the merges (`ignore_merges`). Where llama.cpp rewrote a Hugging Face regex for
/// its own engine (`(?i:'s|…)` as `'[sS]|…`, lookaheads for `\p{Lu}` classes), the original is
/// written back: the reference reads it, and the hand-written scanners recognise it. Characters
/// outside ASCII are written `\x{…}` so that no editor or tool can normalise a range's end.
///
/// `normalizer`: what the family's original `tokenizer.json` normalises with, where that is known
/// (the GGUF does not carry it, and llama.cpp applies none; see `GGUFTokenizerJSON.semantics`).
struct GGUFPreTokenizer: Sendable {
    struct Splits: Sendable {
        let regexes: [String]
        /// GPT-2's byte alphabet; false for SentencePiece-style BPE on raw UTF-8 (Gemma 4).
        let byteLevel: Bool
        init(_ regexes: [String], byteLevel: Bool) {
            self.regexes = regexes
            self.byteLevel = byteLevel
        }
    }

    /// The original tokenizer.json's normalizer, as far as this project knows it.
    enum Normalizer: Sendable, Equatable {
        /// Known to have none (as the GGUF).
        case none
        /// Known to normalise to NFC (Qwen2, Qwen3, Cohere, GPT-NeoX): restored.
        case nfc
        /// Not known: none is applied, as llama.cpp does.
        case unknown
    }

    let splits: Splits
    var ignoreMerges = false
    var normalizer = Normalizer.unknown

    init(_ splits: Splits, ignoreMerges: Bool = false, normalizer: Normalizer = .unknown) {
        self.splits = splits
        self.ignoreMerges = ignoreMerges
        self.normalizer = normalizer
    }

    /// llama.cpp's LLAMA3, DBRX, SMAUG, CHATGLM4
    static let llama3 = Splits([#"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's JAIS2
    static let jais2 = Splits([#"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s{512}(?!\S)|\s{256}(?!\S)|\s{128}(?!\S)|\s{64}(?!\S)|\s{32}(?!\S)|\s{16}(?!\S)|\s{8}(?!\S)|\s{4}(?!\S)|\s{1,2}(?!\S)|\s{1}"#], byteLevel: true)
    /// llama.cpp's DEEPSEEK_LLM
    static let deepseekLlm = Splits([#"[\r\n]"#, #"\s?[A-Za-z\x{B5}\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{1BA}\x{1BC}-\x{1BF}\x{1C4}-\x{293}\x{295}-\x{2AF}\x{370}-\x{373}\x{376}\x{377}\x{37B}-\x{37D}\x{37F}\x{386}\x{388}-\x{38A}\x{38C}\x{38E}-\x{3A1}\x{3A3}-\x{3F5}\x{3F7}-\x{481}\x{48A}-\x{52F}\x{531}-\x{556}\x{10A0}-\x{10C5}\x{13A0}-\x{13F5}\x{13F8}-\x{13FD}\x{1C90}-\x{1CBA}\x{1CBD}-\x{1CBF}\x{1D00}-\x{1D2B}\x{1D6B}-\x{1D77}\x{1D79}-\x{1D9A}\x{1E00}-\x{1F15}\x{1F18}-\x{1F1D}\x{1F20}-\x{1F45}\x{1F48}-\x{1F4D}\x{1F50}-\x{1F57}\x{1F59}\x{1F5B}\x{1F5D}\x{1F5F}-\x{1F7D}\x{1F80}-\x{1FB4}\x{1FB6}-\x{1FBC}\x{1FBE}\x{1FC2}-\x{1FC4}\x{1FC6}-\x{1FCC}\x{1FD0}-\x{1FD3}\x{1FD6}-\x{1FDB}\x{1FE0}-\x{1FEC}\x{1FF2}-\x{1FF4}\x{1FF6}-\x{1FFC}\x{2102}\x{2107}\x{210A}-\x{2113}\x{2115}\x{2119}-\x{211D}\x{2124}\x{2126}\x{2128}\x{212A}-\x{212D}\x{212F}-\x{2134}\x{2139}\x{213C}-\x{213F}\x{2145}-\x{2149}\x{214E}\x{2183}\x{2184}\x{2C00}-\x{2C7B}\x{2C7E}-\x{2CE4}\x{2CEB}-\x{2CEE}\x{2CF2}\x{2CF3}\x{A640}-\x{A66D}\x{A680}-\x{A69B}\x{A722}-\x{A76F}\x{A771}-\x{A787}\x{A78B}-\x{A78E}\x{AB70}-\x{ABBF}\x{FB00}-\x{FB06}\x{FB13}-\x{FB17}\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A}\x{10400}-\x{1044F}\x{104B0}-\x{104D3}\x{104D8}-\x{104FB}\x{10C80}-\x{10CB2}\x{10CC0}-\x{10CF2}\x{118A0}-\x{118DF}\x{1E900}-\x{1E943}]+"#, #"\s?[!-/:-~\x{FF01}-\x{FF0F}\x{FF1A}-\x{FF5E}\x{2018}-\x{201F}\x{3000}-\x{3002}]+"#, #"\s+$"#, #"[\x{4E00}-\x{9FA5}\x{800}-\x{4E00}\x{AC00}-\x{D7FF}]+"#, #"\p{N}+"#], byteLevel: true)
    /// llama.cpp's DEEPSEEK3_LLM, HUNYUAN_DENSE, JOYAI_LLM, HY_V4
    static let deepseek3Llm = Splits([#"\p{N}{1,3}"#, #"[\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+"#, ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##], byteLevel: true)
    /// llama.cpp's SPARK2_5
    static let spark25 = Splits([#"\p{N}{1,3}"#, #"[\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+"#, ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+|[\r\n]|\s+(?!\S)|\s+"##, #"\p{N}"#], byteLevel: true)
    /// llama.cpp's YOUTU
    static let youtu = Splits([#"[\x{AC00}-\x{D7A3}\x{3131}-\x{318E}]+|[\x{FF01}\x{2026}\x{201C}\x{201D}\x{2018}\x{2019}\x{2014}\x{FF1A}\x{FF1B}\x{FF0C}\x{3001}-\x{303F}\x{FE30}-\x{FE4F}]+|[\x{3105}-\x{312F}]+|[\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+"#, #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's DEEPSEEK_CODER
    static let deepseekCoder = Splits([#"[\r\n]"#, #"\s?\p{L}+"#, #"\s?\p{P}+"#, #"[\x{4E00}-\x{9FA5}\x{800}-\x{4E00}\x{AC00}-\x{D7FF}]+"#, #"\p{N}"#], byteLevel: true)
    /// llama.cpp's FALCON
    static let falcon = Splits([#"[\p{P}\$\+<=>\^~\|`]+"#, #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#, #"[0-9][0-9][0-9]"#], byteLevel: true)
    /// llama.cpp's STARCODER, REFACT, COMMAND_R, SMOLLM, CODESHELL, EXAONE, MINERVA, MELLUM2
    static let starcoder = Splits([#"\p{N}"#, #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's GPT2, MPT, OLMO, JAIS, TRILLION, GRANITE_DOCLING
    static let gpt2 = Splits([#"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's QWEN2, STABLELM2, HUNYUAN, SOLAR_OPEN, GROK_2
    static let qwen2 = Splits([#"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's QWEN35
    static let qwen35 = Splits([#"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's PORO, BLOOM, GPT3_FINNISH
    static let poro = Splits([#" ?[^(\s|.,!?\x{2026}\x{3002}\x{FF0C}\x{3001}\x{964}\x{6D4}\x{60C})]+"#], byteLevel: true)
    /// llama.cpp's VIKING
    static let viking = Splits([#" ?[^(\s|.,!?\x{2026}\x{3002}\x{FF0C}\x{3001}\x{964}\x{6D4}\x{60C})]+"#, #"\p{N}"#], byteLevel: true)
    /// llama.cpp's TEKKEN
    static let tekken = Splits([#"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's CHAMELEON
    static let chameleon = Splits([#"<sentinel:[0-9]+>"#, #"(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z"#, #"([\t\n]|    |  )"#, #"\p{N}"#, #"[\p{P}!-/:-@\[-`{-~]"#, #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's GPT4O, MINIMAX_M2, GRANITE_EMB_MULTI
    static let gpt4o = Splits([#"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's TINY_AYA
    static let tinyAya = Splits([#"\d{1,3}(?=(?:\d{3})*\b)"#, #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's SUPERBPE
    static let superbpe = Splits([#"\p{N}+"#, #"(?=(\d{3})+(?!\d))"#], byteLevel: true)
    /// llama.cpp's BAILINGMOE
    static let bailingmoe = Splits([#"'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's SEED_CODER
    static let seedCoder = Splits([#"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's UFAKZEKA
    static let ufakzeka = Splits([#"[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's LAGUNA
    static let laguna = Splits([#"[^\n]+|[\n]+"#, #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's EXAONE_MOE
    static let exaoneMoe = Splits([#"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?(?:\p{L}\p{M}*(?: \p{L}\p{M}*)*)+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]?|\s*[\r\n]|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's GEMMA4, SARVAM_MOE
    static let gemma4 = Splits([#"[^\n]+|[\n]+"#], byteLevel: false)
    /// llama.cpp's MINICPM5
    static let minicpm5 = Splits([#"\p{N}{1,3}"#, #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}+| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#], byteLevel: true)
    /// llama.cpp's WHITESPACE
    static let whitespace = Splits([#"\S+"#], byteLevel: false)
    /// llama.cpp's DEFAULT
    static let llamaCppDefault = Splits([#"[\p{P}\$\+<=>\^~\|]+"#, #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#, #"\p{N}+"#, #"[0-9][0-9][0-9]"#], byteLevel: true)

    /// Names whose original normaliser is known (transformers' tokenizer classes for these families
    /// build the same): GPT-2 and Llama 3 have none; Qwen2/Qwen3 (`qwen2`), Cohere (`command-r`)
    /// and GPT-NeoX (`mpt`, whose model uses GPT-NeoX's tokenizer) normalise to NFC. Qwen3.5
    /// (`qwen35`) has none: llama.cpp's suite encodes decomposed "é" to `e` + U+0301 there.
    static let knownNormalizers: [String: Normalizer] = [
        "gpt-2": .none, "llama3": .none, "llama-v3": .none, "llama-bpe": .none,
        "qwen2": .nfc, "qwen35": .none, "command-r": .nfc, "mpt": .nfc,
    ]

    /// Every name llama.cpp accepts for a BPE vocabulary except two it splits with custom code.
    static let byName: [String: GGUFPreTokenizer] = {
        var table: [String: GGUFPreTokenizer] = [
        "default": .init(llamaCppDefault),
        "minicpm5": .init(minicpm5, ignoreMerges: true),
        "llama3": .init(llama3, ignoreMerges: true),
        "llama-v3": .init(llama3, ignoreMerges: true),
        "llama-bpe": .init(llama3, ignoreMerges: true),
        "falcon3": .init(llama3, ignoreMerges: true),
        "falcon-h1": .init(llama3, ignoreMerges: true),
        "pixtral": .init(llama3, ignoreMerges: true),
        "midm-2.0": .init(llama3, ignoreMerges: true),
        "lfm2": .init(llama3, ignoreMerges: true),
        "jina-v5-nano": .init(llama3, ignoreMerges: true),
        "deepseek-llm": .init(deepseekLlm),
        "deepseek-coder": .init(deepseekCoder),
        "deepseek-v3": .init(deepseek3Llm),
        "spark2_5": .init(spark25),
        "youtu": .init(youtu, ignoreMerges: true),
        "falcon": .init(falcon),
        "mpt": .init(gpt2),
        "starcoder": .init(starcoder),
        "gpt-2": .init(gpt2),
        "phi-2": .init(gpt2),
        "jina-es": .init(gpt2),
        "jina-de": .init(gpt2),
        "gigachat": .init(gpt2),
        "jina-v2-es": .init(gpt2),
        "jina-v2-de": .init(gpt2),
        "a.x-4.0": .init(gpt2),
        "mellum": .init(gpt2),
        "modern-bert": .init(gpt2),
        "jais-2": .init(jais2),
        "gemma4": .init(gemma4),
        "granite-embed-multi-311m": .init(gemma4),
        "sarvam-moe": .init(gemma4),
        "jina-v1-en": .init(gpt2),
        "jina-v2-code": .init(gpt2),
        "roberta-bpe": .init(gpt2),
        "whitespace": .init(whitespace),
        "refact": .init(starcoder),
        "command-r": .init(starcoder),
        "qwen2": .init(qwen2),
        "deepseek-r1-qwen": .init(qwen2),
        "kormo": .init(qwen2),
        "f2llmv2": .init(qwen2),
        "qwen35": .init(qwen35),
        "stablelm2": .init(qwen2),
        "olmo": .init(gpt2),
        "dbrx": .init(llama3),
        "smaug-bpe": .init(llama3),
        "poro-chat": .init(poro),
        "chatglm-bpe": .init(llama3),
        "glm4": .init(llama3, ignoreMerges: true),
        "glm5": .init(llama3, ignoreMerges: true),
        "viking": .init(viking),
        "jais": .init(gpt2),
        "tekken": .init(tekken, ignoreMerges: true),
        "smollm": .init(starcoder),
        "codeshell": .init(starcoder),
        "bloom": .init(poro),
        "gpt3-finnish": .init(poro),
        "exaone": .init(starcoder),
        "exaone4": .init(gpt2),
        "exaone-moe": .init(exaoneMoe),
        "chameleon": .init(chameleon),
        "minerva-7b": .init(starcoder),
        "megrez": .init(qwen2),
        "gpt-4o": .init(gpt4o),
        "llama4": .init(gpt4o),
        "kanana2": .init(gpt4o),
        "talkie": .init(gpt4o),
        "granite-embed-multi-97m": .init(gpt4o, ignoreMerges: true),
        "tiny_aya": .init(tinyAya),
        "cohere2moe": .init(tinyAya),
        "superbpe": .init(superbpe),
        "trillion": .init(gpt2),
        "granite-docling": .init(gpt2),
        "bailingmoe": .init(bailingmoe),
        "bailingmoe2": .init(bailingmoe),
        "llada-moe": .init(bailingmoe),
        "seed-coder": .init(seedCoder),
        "hunyuan": .init(qwen2),
        "hunyuan-dense": .init(deepseek3Llm),
        "hy_v4": .init(deepseek3Llm),
        "joyai-llm": .init(deepseek3Llm),
        "ufakzeka": .init(ufakzeka),
        "grok-2": .init(qwen2),
        "laguna": .init(laguna),
        "minimax-m2": .init(gpt4o),
        "solar-open": .init(qwen2),
        "mellum2": .init(starcoder),
        ]
        for (name, normalizer) in knownNormalizers { table[name]?.normalizer = normalizer }
        return table
    }()

    /// The two names llama.cpp splits with hand-written code rather than regexes.
    static let customSplitters: Set<String> = ["kimi-k2", "afmoe"]
}
