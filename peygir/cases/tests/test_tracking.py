import pytest

from peygir.cases.tracking import CODE_LENGTH, clean_tracking_code, damm_digit, generate_tracking_code


def test_generated_codes_are_nine_digits_and_valid():
    for _ in range(500):
        code = generate_tracking_code()
        assert len(code) == CODE_LENGTH
        assert code.isdigit()
        assert code[0] != "0"
        assert clean_tracking_code(code) == code


def test_every_single_digit_mistake_is_rejected():
    code = generate_tracking_code()
    for position in range(CODE_LENGTH):
        for digit in "0123456789":
            if digit == code[position]:
                continue
            mistyped = code[:position] + digit + code[position + 1 :]
            assert clean_tracking_code(mistyped) is None


def test_every_adjacent_swap_is_rejected():
    code = "12345678" + str(damm_digit("12345678"))
    for position in range(CODE_LENGTH - 1):
        swapped = list(code)
        swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
        if swapped != list(code):
            assert clean_tracking_code("".join(swapped)) is None


def test_persian_digits_and_separators_are_accepted():
    code = "12345678" + str(damm_digit("12345678"))
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert clean_tracking_code(f"{persian[:4]}-{persian[4:]}") == code


@pytest.mark.parametrize("value", ["", "123", "abcdefghi", "0234567891", "1234567890123"])
def test_malformed_codes_are_rejected(value):
    assert clean_tracking_code(value) is None
