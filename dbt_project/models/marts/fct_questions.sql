{#- One row per question with its time to first response (DESIGN.md "Metric definitions",
    Time to first response). See int_questions__responded. -#}
with

questions as (

    select * from {{ ref('int_questions__responded') }}

)

select * from questions
