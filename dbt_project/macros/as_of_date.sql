{#- The reference date of the as-of metrics (love, Orbit level, lifecycle, community
    calendar): the var as_of_date when set, else the latest activity date found in
    `activities` (a CTE or relation with an activity_date column), i.e. the data's own today. -#}
{% macro as_of_date(activities) -%}
    {%- if var('as_of_date') -%}
        cast('{{ var("as_of_date") }}' as date)
    {%- else -%}
        (select max(activity_date) from {{ activities }})
    {%- endif -%}
{%- endmacro %}
