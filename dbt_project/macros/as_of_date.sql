{#- The reference date of the as-of metrics (love, Orbit level, lifecycle, community
    calendar): the var as_of_date when set, else the environment's COMMOPS_AS_OF (the day the
    pipeline pins a run to; orchestration/lib/settings.py validates it before a build), else
    the latest activity date found in `activities` (a CTE or relation with an activity_date
    column), i.e. the data's own today.
    COMMOPS_AS_OF is read here rather than handed over as --vars: dbt re-parses the whole
    project when its vars change, and only the files that use an env_var when its value
    changes (dbt ls at 100k people, a new day: 21.5-30.5 s as a var, 12.0-13.8 s here). -#}
{% macro as_of_date(activities) -%}
    {%- set pinned = var('as_of_date') or (env_var('COMMOPS_AS_OF', '') | trim)[:10] -%}
    {%- if pinned -%}
        cast('{{ pinned }}' as date)
    {%- else -%}
        (select max(activity_date) from {{ activities }})
    {%- endif -%}
{%- endmacro %}
