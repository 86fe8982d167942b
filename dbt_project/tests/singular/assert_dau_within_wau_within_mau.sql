-- DESIGN.md active members: trailing windows nest, so DAU <= WAU <= MAU every day.
select calendar_date, dau, wau, mau
from {{ ref('fct_community_daily') }}
where dau > wau or wau > mau
