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


def valid_mobile(phone: str) -> bool:
    """A mainland mobile (11 digits starting with 1) or a landline of 7-12 digits with area code."""
    digits = phone.replace("-", "").replace(" ", "")
    return digits.isdigit() and 7 <= len(digits) <= 12
