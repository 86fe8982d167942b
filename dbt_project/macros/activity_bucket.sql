{#- Pre-period activity weight bucket for matching program participants with controls.
    Bounds are the var program_impact_buckets (lower bounds, ascending). -#}
{% macro activity_bucket(weight) -%}
    case
        {%- for bound in var('program_impact_buckets') | reverse %}
        when coalesce({{ weight }}, 0) >= {{ bound }} then {{ bound }}
        {%- endfor %}
        else 0
    end
{%- endmacro %}
