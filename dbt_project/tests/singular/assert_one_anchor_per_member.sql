-- DESIGN.md identity rule 5: every member's id comes from exactly one (its earliest) identity.
select member_id, sum(case when is_member_anchor then 1 else 0 end) as anchors
from {{ ref('member_identities') }}
group by member_id
having sum(case when is_member_anchor then 1 else 0 end) <> 1
