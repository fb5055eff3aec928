"""Deterministic identifiers for the demo town and the tests: valid checksums, never real people."""

import datetime

from stdnum.cn import ric, uscc

QINGPU_AREA = "310118"  # 上海市青浦区


def id_number_make(n: int, *, area: str = QINGPU_AREA, birth: datetime.date | None = None) -> str:
    """The n-th demo resident ID number: a valid check digit, a real birth date."""
    if birth is None:
        # 1000 sequence numbers per birth date; 13 is coprime with 16000, so the dates of
        # successive blocks spread over 1960–2003 and never repeat below 16 million.
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=(n // 1000 * 13) % 16000)
    body = f"{area}{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code_make(n: int, *, area: str = QINGPU_AREA) -> str:
    """The n-th demo unified social credit code (91 = enterprise registered with the market regulator)."""
    body = f"91{area}{n:09d}"
    return body + uscc.calc_check_digit(body)
