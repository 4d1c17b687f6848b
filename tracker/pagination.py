"""Pages whose total is known beforehand (from the running figures, an index-only count or a
capped count), so a page never costs a COUNT over the whole filtered join."""
from flask_sqlalchemy.pagination import SelectPagination

from tracker.extensions import db


class CountedPagination(SelectPagination):
    """`capped` says the total only means "at least" (the count stopped there)."""

    def _query_count(self) -> int:
        return self._query_args["total"]

    def _query_items(self) -> list:
        if not self._query_args["rows"]:
            return super()._query_items()  # the first column's objects, as db.paginate
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())

    @property
    def capped(self) -> bool:
        return self._query_args["capped"]


def paginate_counted(select, total: int, per_page: int = 25, capped: bool = False,
                     rows: bool = False) -> CountedPagination:
    """Like db.paginate (page from the request's ?page=), with the total given; `rows`: whole
    rows as items, else the first column's objects."""
    return CountedPagination(select=select, session=db.session(), per_page=per_page, error_out=False,
                             total=total, capped=capped, rows=rows)
