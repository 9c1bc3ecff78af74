import { DEMO_PAST_VALUES, type DirectoryAccount, type DirectoryUnit, type Values } from "@tianbao/shared";

/**
 * What the corpus's workbooks name, shared by their generator (scripts/corpus/make.mjs) and
 * upload-corpus.test.ts, which creates this round and unit before uploading them.
 */
export const CORPUS = {
  roundId: "rcorpus",
  unitId: "corpus_county",
  unitName: "语料县",
  period: "2025",
  /** 上期数值 as drawn (chengqu's 2024 figures: a swapped column would store these). */
  previous: DEMO_PAST_VALUES.chengqu!,
  /** 本期数值 as typed in the file before any edit (zezhou's figures and a remark). */
  current: { ...DEMO_PAST_VALUES.zezhou!, remarks: "全年无重大质量事故" } as Values,
  directory: {
    units: [{ id: "corpus_new", name: { zh: "语料新区", en: "Corpus New" }, level: "county", parentId: "jincheng", contactName: "张三", contactPhone: "03562021234" }] as DirectoryUnit[],
    accounts: [{ username: "corpus_user", displayName: "李四", role: "reporter", unitId: "corpus_new" }] as DirectoryAccount[],
  },
} as const;
