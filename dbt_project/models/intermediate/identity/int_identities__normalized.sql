{#- A table, not a view: int_identity_links__collected, int_identities__resolved and the data
    tests read it, and as a view each of them re-ran the identity union (a scan of every Slack
    message for first_seen_at). -#}
{{ config(materialized="table") }}

{#- Matching keys per account (DESIGN.md identity rules 1 and 4): normalized email, email
    domain, name key, and the staff flag from seeds/staff_email_domains.csv. -#}
with

identities as (

    select * from {{ ref('int_identities__unioned') }}

),

staff_domains as (

    select lower(trim(email_domain)) as email_domain from {{ ref('staff_email_domains') }}

),

email_parts as (

    select
        *,
        {{ dbt.split_part('lower(trim(email))', "'@'", 1) }} as email_local_part,
        {{ dbt.split_part('lower(trim(email))', "'@'", 2) }} as email_domain
    from identities

),

normalized as (

    select
        identity_key,
        platform,
        platform_user_id,
        email,
        {{ normalized_email('email_local_part', 'email_domain') }} as email_normalized,
        nullif(email_domain, '') as email_domain,
        full_name,
        display_name,
        {#- lowercase name with single spaces; only full names (two words or more) are evidence -#}
        case
            when full_name like '% %'
                then lower(trim({{ collapse_whitespace('full_name') }}))
        end as name_key,
        company_name,
        timezone,
        city,
        country,
        crm_lifecycle_stage,
        linked_slack_user_id,
        linked_discourse_user_id,
        is_bot,
        is_deactivated,
        first_seen_at
    from email_parts

)

select
    normalized.*,
    normalized.email_domain is not null
        and normalized.email_domain in (select email_domain from staff_domains) as is_staff
from normalized
