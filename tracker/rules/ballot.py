"""The council's secret ballot as arithmetic: whether enough members are present (the quorum),
how many agreeing votes an item needs (the award's approval threshold, counted on the council's
members less those recused for the item), and whether it passed. Pure functions over numbers; the
thresholds are data (the "council_vote" rule of each award, versioned in the catalogue)."""
from dataclasses import dataclass

# The titles whose dossier needs the council's secret-ballot minutes (AWARDS.md §3: "required for
# CSTĐ titles"); every other award's vote is recorded when the council holds one.
BALLOT_REQUIRED = ("CSTDCS", "CSTD_TINH", "CSTD_TQ")


# Under Nghị định 91/2017 (khoản 8 Điều 45) the provincial and national CSTĐ titles needed at least
# 90 % of all the council's members; the later decrees' shares are not confirmed (by default more
# than half, marked unverified in the catalogue).
STRICTER = {("2017", "CSTD_TINH"): 90, ("2017", "CSTD_TQ"): 90}


def default_vote_params(code: str, regime: str = "") -> dict:
    """By default an item needs the agreement of more than half of the council's members."""
    share = STRICTER.get((regime, code))
    return {"approval_percent": share or 50, "approval_inclusive": int(share is not None),
            "ballot_required": int(code in BALLOT_REQUIRED)}


@dataclass(frozen=True)
class Quorum:
    numerator: int = 2
    denominator: int = 3

    def text(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def parse_quorum(text: str) -> Quorum:
    """ "2/3" → Quorum(2, 3); anything else is a ValueError (the setting is checked at start)."""
    numerator, denominator = (int(part) for part in str(text).split("/"))
    if not 0 < numerator <= denominator:
        raise ValueError(f"not a share of the members: {text!r}")
    return Quorum(numerator, denominator)


def quorum_needed(members: int, quorum: Quorum) -> int:
    """The fewest members present that make the quorum (at least the share, rounded up)."""
    return -(-members * quorum.numerator // quorum.denominator)


def quorum_met(members: int, present: int, quorum: Quorum) -> bool:
    return members > 0 and present >= quorum_needed(members, quorum)


@dataclass(frozen=True)
class Threshold:
    percent: int  # of the council's members (less the recused)
    inclusive: bool  # True: "from that share" (≥); False: "more than that share" (>)

    def text(self) -> str:
        share = "1/2" if self.percent == 50 else f"{self.percent}%"
        return f"{'≥' if self.inclusive else '>'} {share}"


def threshold_of(params: dict, code: str, regime: str = "") -> Threshold:
    values = {**default_vote_params(code, regime), **(params or {})}
    return Threshold(int(values["approval_percent"]), bool(values["approval_inclusive"]))


def ballot_required(params: dict, code: str, regime: str = "") -> bool:
    return bool({**default_vote_params(code, regime), **(params or {})}["ballot_required"])


def votes_needed(base: int, threshold: Threshold) -> int:
    """The fewest agreeing votes that pass: ≥ p% is ceil(base·p/100); > p% is floor(base·p/100) + 1."""
    if threshold.inclusive:
        return -(-base * threshold.percent // 100)
    return base * threshold.percent // 100 + 1


@dataclass(frozen=True)
class Verdict:
    passed: bool
    agree: int
    base: int  # the council's members counted for the item (members less the recused)
    needed: int
    threshold: Threshold

    def arithmetic(self) -> str:
        """ "9/14 đồng ý = 64,3 % (cần > 1/2 của 14 thành viên: ít nhất 8)" """
        share = f"{100 * self.agree / self.base:.1f}".replace(".", ",") if self.base else "0"
        return (f"{self.agree}/{self.base} đồng ý = {share} % (cần {self.threshold.text()} của {self.base} "
                f"thành viên: ít nhất {self.needed})")


def judge(members: int, recused: int, agree: int, threshold: Threshold) -> Verdict:
    """Pass or fail: the agreeing votes against the threshold of the members less the recused."""
    base = max(members - recused, 0)
    needed = votes_needed(base, threshold)
    return Verdict(passed=base > 0 and agree >= needed, agree=agree, base=base, needed=needed, threshold=threshold)
