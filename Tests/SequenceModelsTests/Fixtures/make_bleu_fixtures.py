#!/usr/bin/env python3
"""Writes sacreBLEU's scores for the BLEU tests: sentence and corpus BLEU, every smoothing method.

Sentences are already tokenised (tokens separated by single spaces) and scored with
tokenize='none', so the Swift side splits on spaces and sees the same tokens. The course's
worked example is also scored with sacreBLEU's default tokenizer, which must give 46.71.

Run from the repository root with sacrebleu installed (pip install sacrebleu==2.6.0):
    python Tests/SequenceModelsTests/Fixtures/make_bleu_fixtures.py
"""
import json, os
import sacrebleu
from sacrebleu.metrics import BLEU

HERE = os.path.dirname(os.path.abspath(__file__))

# (candidate, reference 1, reference 2)
PAIRS = [
    ("The cat the cat on the mat", "The cat is on the mat", "There is a cat on the mat"),
    ("the cat is on the mat", "the cat is on the mat", "there is a cat on the mat"),
    ("a cat", "the cat is on the mat", "there is a cat on the mat"),
    ("the the the the the the the", "the cat is on the mat", "there is a cat on the mat"),
    ("it is a guide to action which ensures that the military always obeys the commands of the party",
     "it is a guide to action that ensures that the military will forever heed party commands",
     "it is the guiding principle which guarantees the military forces always being under the command of the party"),
    ("it is to insure the troops forever hearing the activity guidebook that party direct",
     "it is a guide to action that ensures that the military will forever heed party commands",
     "it is the practical guide for the army always to heed the directions of the party"),
    ("he said teddy bears are on sale", "he said teddy bears are on sale", "he said that teddy bears are on sale"),
    ("he said teddy roosevelt was a great president", "he said teddy roosevelt was a great president",
     "teddy roosevelt was a great president he said"),
    ("2019 - 03 - 14", "2019 - 03 - 14", "2019 - 03 - 14"),
    ("2019 - 04 - 14", "2019 - 03 - 14", "2019 - 03 - 14"),
    ("1999 - 12 - 31", "2000 - 01 - 01", "2000 - 01 - 01"),
    ("the apple and pear salad", "the apple and pear salad", "an apple and pear salad"),
    ("the apple and pair salad", "the apple and pear salad", "an apple and pear salad"),
    ("i went to nepal in 2009", "in 2009 , i went to nepal", "i went to nepal in 2009 ."),
    ("cats average 15 hours of sleep a day", "cats average 15 hours of sleep a day .",
     "on average cats sleep 15 hours a day ."),
    ("the quick brown fox", "the quick brown fox jumps over the lazy dog", "a quick brown fox jumps over a lazy dog"),
    ("jumps over the lazy dog the quick brown fox", "the quick brown fox jumps over the lazy dog",
     "a quick brown fox jumps over a lazy dog"),
    ("completely unrelated words here", "the cat is on the mat", "there is a cat on the mat"),
    ("on the mat", "the cat is on the mat", "there is a cat on the mat"),
    ("the cat sat on the mat today in the sun", "the cat is on the mat", "there is a cat on the mat"),
    ("harry potter and hermione granger invented a new spell",
     "harry potter and hermione granger invented a new spell", "harry and hermione invented a spell"),
    ("harry and hermione made a new spell", "harry potter and hermione granger invented a new spell",
     "harry and hermione invented a spell"),
    ("x", "x", "y"),
    ("the mortal moon hath her eclipse endured", "the mortal moon hath her eclipse endured",
     "the mortal moon has endured her eclipse"),
]

METHODS = {"none": ("none", None), "floor": ("floor", 0.1), "add-k": ("add-k", 1), "exp": ("exp", None)}


def main():
    sentence, corpus = [], {}
    for name, (method, value) in METHODS.items():
        sentence_metric = BLEU(tokenize="none", smooth_method=method, smooth_value=value, effective_order=True)
        corpus_metric = BLEU(tokenize="none", smooth_method=method, smooth_value=value)
        for i, (hyp, r1, r2) in enumerate(PAIRS):
            score = sentence_metric.sentence_score(hyp, [r1, r2])
            if name == "none":
                sentence.append({"candidate": hyp, "references": [r1, r2], "scores": {}})
            sentence[i]["scores"][name] = score.score
        corpus[name] = corpus_metric.corpus_score([p[0] for p in PAIRS], [[p[1] for p in PAIRS], [p[2] for p in PAIRS]]).score

    worked = sacrebleu.corpus_bleu(["The cat the cat on the mat"], [["The cat is on the mat"], ["There is a cat on the mat"]])
    assert f"{worked.score:.2f}" == "46.71", worked
    data = {"sacrebleu": sacrebleu.__version__, "sentences": sentence, "corpus": corpus,
            "workedExample": {"score": worked.score, "precisions": worked.precisions,
                              "bp": worked.bp, "sysLen": worked.sys_len, "refLen": worked.ref_len}}
    with open(os.path.join(HERE, "bleu.json"), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote bleu.json: {len(sentence)} sentences; worked example {worked}")


if __name__ == "__main__":
    main()
