{#- A table, not a view: its seven data tests and int_identities__resolved each re-ran the
    email self-join of a view (about 12 s apiece at 100,000 people, the slowest dbt nodes). -#}
{{ config(materialized="table") }}

{#- Edges of the identity graph (DESIGN.md identity rules 1 and 2), one row per unordered pair
    of accounts and reason: same normalized email, an explicit CRM cross-link
    (commops_slack_user_id / commops_discourse_user_id on a HubSpot contact), or a manual
    merge from seeds/identity_overrides.csv. Manual splits remove every deterministic edge
    between the two named accounts; a split with an empty other account removes all of the
    account's deterministic edges. Manual merges are never removed. -#}
with

identities as (

    select * from {{ ref('int_identities__normalized') }}

),

overrides as (

    select
        lower(trim(action)) as action,
        {{ dbt.concat(["lower(trim(platform))", "':'", "trim(platform_user_id)"]) }} as identity_key,
        case
            when nullif(trim(other_platform), '') is not null
                then {{ dbt.concat(["lower(trim(other_platform))", "':'", "trim(other_platform_user_id)"]) }}
        end as other_identity_key
    from {{ ref('identity_overrides') }}

),

email_links as (

    select
        a.identity_key as identity_key_a,
        b.identity_key as identity_key_b,
        'email' as link_type
    from identities as a
    inner join identities as b
        on a.email_normalized = b.email_normalized
        and a.identity_key < b.identity_key

),

{#- One equi-join per linked platform: a join on "slack link or discourse link" (an OR) has no
    hash key, so it compared every contact with every account (about 30 s at 100,000 people). -#}
crm_cross_links as (

    {%- for linked_platform in ['slack', 'discourse'] %}
    select
        contacts.identity_key as contact_key,
        linked.identity_key as linked_key,
        'crm_{{ linked_platform }}_link' as link_type
    from identities as contacts
    inner join identities as linked
        on linked.platform_user_id = contacts.linked_{{ linked_platform }}_user_id
        and linked.platform = '{{ linked_platform }}'
    where contacts.platform = 'hubspot'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

crm_links as (

    select
        case when contact_key < linked_key then contact_key else linked_key end as identity_key_a,
        case when contact_key < linked_key then linked_key else contact_key end as identity_key_b,
        link_type
    from crm_cross_links

),

deterministic_links as (

    select * from email_links
    union all
    select * from crm_links

),

splits as (

    select identity_key, other_identity_key from overrides where action = 'split'

),

kept_links as (

    select deterministic_links.*
    from deterministic_links
    where not exists (
        select 1
        from splits
        where (
            splits.other_identity_key is null
            and splits.identity_key in (deterministic_links.identity_key_a, deterministic_links.identity_key_b)
        ) or (
            (splits.identity_key = deterministic_links.identity_key_a
                and splits.other_identity_key = deterministic_links.identity_key_b)
            or (splits.identity_key = deterministic_links.identity_key_b
                and splits.other_identity_key = deterministic_links.identity_key_a)
        )
    )

),

manual_merges as (

    select
        case when o.identity_key < o.other_identity_key then o.identity_key else o.other_identity_key end as identity_key_a,
        case when o.identity_key < o.other_identity_key then o.other_identity_key else o.identity_key end as identity_key_b,
        'manual_merge' as link_type
    from overrides as o
    where o.action = 'merge'
        and o.identity_key in (select identity_key from identities)
        and o.other_identity_key in (select identity_key from identities)
        and o.identity_key <> o.other_identity_key

),

all_links as (

    select * from kept_links
    union all
    select * from manual_merges

)

select distinct
    {{ dbt.concat(["identity_key_a", "'|'", "identity_key_b", "'|'", "link_type"]) }} as link_id,
    identity_key_a,
    identity_key_b,
    link_type
from all_links
