from peygir.core.text import (
    normalize_for_search,
    normalize_mobile,
    normalize_text,
    to_latin_digits,
    to_persian_digits,
)


def test_arabic_yeh_and_kaf_become_persian():
    assert normalize_text("يك كوچه") == "یک کوچه"


def test_teh_marbuta_becomes_heh():
    assert normalize_text("مدرسة") == "مدرسه"


def test_heh_with_yeh_above_becomes_heh_and_hamza():
    assert normalize_text("خانۀ ما") == "خانهٔ ما"


def test_digits_convert_both_ways():
    assert to_latin_digits("۰۹۱۲٣٤٥") == "0912345"
    assert to_persian_digits("1404/01/05") == "۱۴۰۴/۰۱/۰۵"


def test_zwnj_and_spaces_are_cleaned():
    assert normalize_text("  می\u200c\u200cخواهم  \u200cبروم\t\tخانه ") == "می\u200cخواهم بروم خانه"


def test_search_form_ignores_diacritics_zwnj_and_letter_variants():
    assert normalize_for_search("كُتاب\u200cهاي") == normalize_for_search("کتاب های")


def test_mobile_accepts_persian_digits_and_country_prefix():
    assert normalize_mobile("۰۹۱۲ ۳۴۵ ۶۷۸۹") == "09123456789"
    assert normalize_mobile("+989123456789") == "09123456789"
    assert normalize_mobile("12345") is None
