"""The reward money (tiền thưởng) each award carries: a multiple of the base salary (mức lương cơ
sở) in force on the day of the decision, rounded as the decrees say. Pure data and arithmetic.

Confidence as in AWARDS.md: V read in the source text, S from an official summary, U
unverified (shown as such; an office checks it before paying).
"""
from dataclasses import dataclass
from datetime import date

# (in force from, đồng a month, instrument, confidence)
BASE_SALARIES = (
    (date(2017, 7, 1), 1_300_000, "Nghị định 47/2017/NĐ-CP", "U"),
    (date(2018, 7, 1), 1_390_000, "Nghị định 72/2018/NĐ-CP", "U"),
    (date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP", "S"),
    (date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP", "S"),
    (date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP", "S"),
)

# Multiples of the base salary per regime, award code and recipient (individual / collective).
# NĐ 152/2025's figures are those AWARDS.md read in the decree; the other regimes' (NĐ 91/2017,
# NĐ 98/2023) and the forms AWARDS.md does not list are unverified here.
_INDIVIDUAL, _COLLECTIVE = "individual", "collective"
_SHARED = {
    ("CSTD_TQ", _INDIVIDUAL): 4.5, ("CSTD_TINH", _INDIVIDUAL): 3.0, ("CSTDCS", _INDIVIDUAL): 1.0,
    ("LDTT", _INDIVIDUAL): 0.3, ("TTLDXS", _COLLECTIVE): 1.5, ("TTLDTT", _COLLECTIVE): 0.8,
    ("GIAY_KHEN", _INDIVIDUAL): 0.3, ("GIAY_KHEN", _COLLECTIVE): 0.6,
    ("BK_TINH", _INDIVIDUAL): 1.0, ("BK_TINH", _COLLECTIVE): 2.0,
    ("BK_TTG", _INDIVIDUAL): 1.5, ("BK_TTG", _COLLECTIVE): 3.0,
    ("CO_TINH", _COLLECTIVE): 8.0, ("CO_CP", _COLLECTIVE): 12.0,
    ("HCLD3", _INDIVIDUAL): 4.5, ("HCLD3", _COLLECTIVE): 9.0,
}
_VERIFIED_2025 = {("CSTD_TQ", _INDIVIDUAL), ("CSTD_TINH", _INDIVIDUAL), ("CSTDCS", _INDIVIDUAL),
                  ("LDTT", _INDIVIDUAL), ("TTLDXS", _COLLECTIVE), ("TTLDTT", _COLLECTIVE)}
MULTIPLES = {
    regime: {key: (multiple, "V" if regime == "2025" and key in _VERIFIED_2025 else "U")
             for key, multiple in _SHARED.items()}
    for regime in ("2017", "2024", "2025")
}
MULTIPLE_BASIS = {
    "2017": "Nghị định 91/2017/NĐ-CP (Chương VI)",
    "2024": "Nghị định 98/2023/NĐ-CP (Chương V)",
    "2025": "Nghị định 152/2025/NĐ-CP",
}
ROUND_TO = 10_000  # "làm tròn số lên hàng chục nghìn đồng"
ROUNDING_BASIS = "tiền thưởng được làm tròn số lên hàng chục nghìn đồng (U)"


@dataclass(frozen=True)
class BaseSalary:
    since: date
    amount: int
    instrument: str
    confidence: str


@dataclass(frozen=True)
class Reward:
    multiple: float | None  # None: the award carries no money the tracker knows of
    base: BaseSalary | None
    amount: int  # đồng, rounded up to ten thousand
    confidence: str  # the weakest of the multiple's and the base salary's
    basis: str

    @property
    def known(self) -> bool:
        return self.multiple is not None and self.base is not None


def base_salary_on(day: date) -> BaseSalary | None:
    """The base salary in force on `day` (None before the first one the tracker knows)."""
    found = None
    for since, amount, instrument, confidence in BASE_SALARIES:
        if day >= since:
            found = BaseSalary(since, amount, instrument, confidence)
    return found


def round_up(amount: float) -> int:
    """Up to the next ten thousand đồng (an exact multiple stays as it is)."""
    whole = int(round(amount))  # the multiples have one decimal: no float dust survives this
    return -(-whole // ROUND_TO) * ROUND_TO


_ORDER = {"V": 0, "S": 1, "U": 2}


def reward(code: str, regime: str, recipient: str, day: date) -> Reward:
    """The money of award `code` under `regime` for an individual or a collective (`recipient`),
    decided on `day`: multiple × the base salary in force that day, rounded up."""
    multiple, confidence = MULTIPLES.get(regime, {}).get((code, recipient), (None, "U"))
    base = base_salary_on(day)
    if multiple is None or base is None:
        return Reward(multiple, base, 0, "U", MULTIPLE_BASIS.get(regime, ""))
    weakest = max(confidence, base.confidence, key=_ORDER.__getitem__)
    basis = f"{MULTIPLE_BASIS[regime]}: {vnd_multiple(multiple)} × {vnd(base.amount)} đ ({base.instrument})"
    return Reward(multiple, base, round_up(multiple * base.amount), weakest, basis)


def vnd(amount: int) -> str:
    """1490000 -> "1.490.000" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def vnd_multiple(multiple: float) -> str:
    """1.5 -> "1,5" (Vietnamese decimal comma)."""
    return f"{multiple:g}".replace(".", ",")
