{#- DESIGN.md identity rule 1: an email normalized for matching: trimmed, lowercased; for
    gmail.com and googlemail.com the local part loses dots and any +tag, and googlemail.com
    becomes gmail.com. `local_part` and `domain` are columns holding the lowercased parts. -#}
{% macro normalized_email(local_part, domain) -%}
    case
        when {{ local_part }} is null or {{ domain }} is null or {{ local_part }} = '' or {{ domain }} = ''
            then null
        when {{ domain }} in ({% for d in var('gmail_domains') %}'{{ d }}'{% if not loop.last %}, {% endif %}{% endfor %})
            then {{ dbt.concat([
                "replace(" ~ dbt.split_part(local_part, "'+'", 1) ~ ", '.', '')",
                "'@gmail.com'"]) }}
        else {{ dbt.concat([local_part, "'@'", domain]) }}
    end
{%- endmacro %}

{#- A list var rendered as a SQL IN list of strings. -#}
{% macro sql_string_list(values) -%}
    {%- for v in values %}'{{ v }}'{% if not loop.last %}, {% endif %}{% endfor -%}
{%- endmacro %}
