{#- Schemas are exactly staging, intermediate, marts (the BI contract in DESIGN.md), without
    dbt's default "<target schema>_" prefix. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
