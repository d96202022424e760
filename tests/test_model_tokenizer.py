"""The character tokenizer: one token per character, whatever the character."""
from training.vocab import SPACE_TOKEN, build_vocab, encode_chars, make_tokenizer, save_tokenizer


def tokenizer_for(texts):
    return make_tokenizer(build_vocab(texts))


def test_every_character_is_one_token():
    tok = tokenizer_for(["清河县主动公开政府信息"])
    text = "清河县 2023年\u00a0共4147余条，ABC abc\t12.5%\n\u3000末\u200b𠀀"
    ids = encode_chars(tok, text)
    assert len(ids) == len(text)
    tokens = tok.convert_ids_to_tokens(ids)
    assert tokens[3] == SPACE_TOKEN and tokens[9] == SPACE_TOKEN  # space, NBSP
    assert tokens[4:8] == ["2", "0", "2", "3"]        # digits never merge
    assert tokens[18:21] == ["A", "B", "C"]           # nor Latin letters (and keep their case)
    assert tokens[-1] == "[UNK]"                       # unseen character: one [UNK]


def test_offsets_map_one_to_one():
    tok = tokenizer_for(["公开"])
    text = "公 开\n\n2条"
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
    assert enc["offset_mapping"] == [(i, i + 1) for i in range(len(text))]


def test_saved_tokenizer_loads_with_autotokenizer(tmp_path):
    from transformers import AutoTokenizer
    tok = tokenizer_for(["政府信息公开"])
    save_tokenizer(tok, tmp_path)
    again = AutoTokenizer.from_pretrained(tmp_path)
    text = "政府 信息公开 2023"
    assert encode_chars(again, text) == encode_chars(tok, text)
    assert again("政府")["input_ids"][0] == again.cls_token_id
    vocab_lines = (tmp_path / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert vocab_lines[again.convert_tokens_to_ids("政")] == "政"
