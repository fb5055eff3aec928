"""Chinese word segmentation for the search index and for queries (jieba, loaded once, lazily)."""

import logging
import re
import tempfile
import threading
from pathlib import Path

import jieba

USER_DICTIONARY = Path(__file__).with_name("safety_terms.txt")
# A run of Han characters: text without one is passed through untouched (and jieba never loads).
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"\w+")

_tokenizer: jieba.Tokenizer | None = None
_lock = threading.Lock()


def tokenizer() -> jieba.Tokenizer:
    """The process's jieba tokenizer with the safety terms; the first call costs about a second."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                # Our own instance, so jieba's global one stays untouched; its dictionary cache goes
                # to the temp dir, never into the project tree.
                instance = jieba.Tokenizer()
                instance.tmp_dir = tempfile.gettempdir()
                instance.cache_file = "xujing-jieba.cache"
                instance.load_userdict(str(USER_DICTIONARY))
                _tokenizer = instance
    return _tokenizer


def segment_for_index(text: str) -> str:
    """`text` with its Chinese words separated by spaces, sub-words included (search-engine mode).

    cut_for_search adds only the 2- and 3-character dictionary words inside a longer word; the
    longer dictionary words inside it are added too, so that a query for 事故隐患 also finds
    重大事故隐患 (the query side cuts 事故隐患 as one word).
    """
    if not text or not HAN.search(text):
        return text
    jieba_ = tokenizer()
    words = []
    for word in jieba_.cut_for_search(text):
        if word.isspace():
            continue
        words.append(word)
        if len(word) > 4:
            words.extend(
                word[start : start + size]
                for size in range(4, len(word))
                for start in range(len(word) - size + 1)
                if jieba_.FREQ.get(word[start : start + size])
            )
    return " ".join(words)


def segment_query(text: str, *, keep_single_characters: bool = False) -> list[str]:
    """The words of a query, in order, once each: jieba's precise mode without punctuation.

    Single Han characters (的, 和, 与…) are dropped when the query has a longer word, so that
    燃气的隐患 finds a text saying 燃气隐患 (unless `keep_single_characters`, for autocomplete).
    """
    if not text:
        return []
    pieces = tokenizer().cut(text) if HAN.search(text) else [text]
    words = [word for piece in pieces for word in WORD.findall(piece)]
    if not keep_single_characters and any(len(word) > 1 for word in words):
        words = [word for word in words if len(word) > 1 or not HAN.match(word)]
    return list(dict.fromkeys(words))
