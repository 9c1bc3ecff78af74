-- The signature block (填报单位, 负责人, 填报人, 联系电话, 填报日期) handed in with a revision, as JSON
-- ({"head": "李明", …}; blank fields absent). It attests to that revision's figures, so it lives on
-- the append-only revision row beside its 说明 notes: never edited, diffed between revisions, and
-- written back into the fill sheet of the current version. NULL on revisions stored before it.
ALTER TABLE revisions ADD COLUMN signature TEXT;
