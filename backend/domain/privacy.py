"""Masking of residents' personal data for anything public or printed (张*三, 138****1234)."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """张三 -> 张*, 张小三 -> 张*三, 欧阳小明 -> 欧**明; Latin names keep the first letter."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """13812341234 -> 138****1234; short numbers keep only their last 4 digits."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_id_number(number: str) -> str:
    """110101199003071234 -> 1101**********1234."""
    number = number.strip().upper()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_id_number(number: str) -> bool:
    """A mainland resident ID number (居民身份证号码, GB 11643): 18 characters with its check digit."""
    number = number.strip().upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def phone_digits(phone: str) -> str | None:
    """The digits of a mainland mobile (1[3-9] + 9 digits, ``+86`` allowed) or a landline with
    its area code (0 + 2-3 digits + a 7-8 digit number, ``-``/space/brackets allowed); None for
    anything else, such as a 7-digit number without area code."""
    digits = phone.strip()
    for sep in "- ()（）":
        digits = digits.replace(sep, "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits.isascii() or not digits.isdigit():
        return None
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return digits
    if len(digits) >= 10 and digits[0] == "0" and digits[1] != "0":
        area = 3 if digits[1] in "12" else 4  # 010, 02x; else 0xxx
        if len(digits) - area in (7, 8):
            return digits
    return None
