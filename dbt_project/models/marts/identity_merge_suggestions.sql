{#- DESIGN.md identity rule 3: fuzzy evidence (same full name and the same company or the
    same non-free-mail email domain) never merges; it becomes a suggestion for review, one
    row per pair of members, scored by the vars merge_suggestion_score_*. -#}
with

identities as (

    select * from {{ ref('int_identities__resolved') }}
    where name_key is not null and not is_bot

),

candidate_pairs as (

    select
        a.member_id as member_id_a,
        b.member_id as member_id_b,
        a.identity_key as identity_key_a,
        b.identity_key as identity_key_b,
        a.full_name,
        lower(trim(a.company_name)) = lower(trim(b.company_name)) as has_same_company,
        a.email_domain = b.email_domain
            and a.email_domain not in ({{ sql_string_list(var('free_email_domains')) }}) as has_same_email_domain
    from identities as a
    inner join identities as b
        on a.name_key = b.name_key
        and a.member_id < b.member_id

),

evidenced as (

    select
        *,
        {{ var('merge_suggestion_score_name') }}
        + case when coalesce(has_same_company, false) then {{ var('merge_suggestion_score_company') }} else 0 end
        + case when coalesce(has_same_email_domain, false) then {{ var('merge_suggestion_score_email_domain') }} else 0 end
            as score
    from candidate_pairs
    where coalesce(has_same_company, false) or coalesce(has_same_email_domain, false)

),

ranked as (

    select
        *,
        row_number() over (
            partition by member_id_a, member_id_b
            order by score desc, identity_key_a, identity_key_b
        ) as evidence_rank
    from evidenced

)

select
    {{ dbt.hash(dbt.concat(["member_id_a", "'|'", "member_id_b"])) }} as suggestion_id,
    member_id_a,
    member_id_b,
    identity_key_a,
    identity_key_b,
    full_name,
    coalesce(has_same_company, false) as has_same_company,
    coalesce(has_same_email_domain, false) as has_same_email_domain,
    score
from ranked
where evidence_rank = 1
