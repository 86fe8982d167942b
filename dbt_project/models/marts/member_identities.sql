{#- Contract (DESIGN.md): one row per account on a platform, mapped to exactly one member. -#}
with

resolved as (

    select * from {{ ref('int_identities__resolved') }}

)

select
    member_id,
    platform,
    platform_user_id,
    identity_key,
    email,
    email_normalized,
    full_name,
    display_name,
    company_name,
    is_bot,
    is_staff,
    is_deactivated,
    is_member_anchor,
    first_seen_at
from resolved
