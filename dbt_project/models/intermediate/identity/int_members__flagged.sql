{#- A table, not a view: several models and its data tests read it, and as a view each of
    them recomputed it from the whole activity or identity history. -#}
{{ config(materialized="table") }}

{#- Member-level flags (DESIGN.md identity rule 4): a member is a bot when any of its accounts
    is a bot or integration, staff when any account is on a staff email domain, deactivated
    when all its accounts are. -#}
with

identities as (

    select * from {{ ref('int_identities__resolved') }}

)

select
    member_id,
    max(case when is_bot then 1 else 0 end) = 1 as is_bot,
    max(case when is_staff then 1 else 0 end) = 1 as is_staff,
    min(case when is_deactivated then 1 else 0 end) = 1 as is_deactivated,
    count(*) as identity_count,
    min(first_seen_at) as first_seen_at
from identities
group by 1
