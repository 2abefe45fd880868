<?xml version="1.0" encoding="UTF-8"?>
<!-- The textual apparatus: every choice of a chapter, keyed to paragraph and page, printed as endnotes of the chapter. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio:print"
  xmlns:f="urn:editio:functions"
  xmlns:m="urn:editio:modes"
  exclude-result-prefixes="#all">

  <xsl:template match="tei:body" mode="m:apparatus">
    <xsl:variable name="choices" select=".//(tei:choice[tei:sic or tei:orig] | tei:supplied | tei:surplus | tei:del)[not(ancestor::tei:note)]"/>
    <xsl:if test="exists($choices)">
      <xsl:value-of select="'== ' || f:typst-escape($apparatus-heading) || '&#10;&#10;'"/>
      <xsl:text>#block(sticky: true)[#set text(size: 8.5pt, style: "italic")&#10;</xsl:text>
      <xsl:value-of select="if ($reading = 'diplomatic')
          then 'Text as printed in the source\; after the bracket the editors’ correction\.'
          else 'Corrected text as printed here\; after the bracket the reading of the source\.'"/>
      <xsl:text>]&#10;&#10;#[&#10;#set text(size: 9pt)&#10;</xsl:text>
      <xsl:apply-templates select="$choices" mode="m:apparatus"/>
      <xsl:text>]&#10;&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:choice" mode="m:apparatus">
    <xsl:variable name="original" select="(tei:sic, tei:orig)[1]"/>
    <xsl:variable name="edited" select="(tei:corr, tei:reg)[1]"/>
    <xsl:variable name="printed" select="if ($reading = 'diplomatic') then $original else $edited"/>
    <xsl:variable name="other" select="if ($reading = 'diplomatic') then $edited else $original"/>
    <xsl:variable name="siglum" select="if ($other/self::tei:sic) then 'source'
                                        else if ($other/self::tei:orig) then 'source spelling'
                                        else if ($other/self::tei:reg) then 'regularized'
                                        else 'corr. ed.'"/>
    <xsl:variable name="cert" select="$edited/@cert[. != 'high'] ! (', certainty ' || .)"/>
    <xsl:variable name="note" select="f:note-of-correction(.)"/>
    <xsl:variable name="p" select="ancestor::tei:p[1]"/>
    <xsl:value-of select="f:src(.) || '#app-entry('
        || f:typst-string(if ($p) then f:para-number($p) else '–') || ', '
        || f:typst-string('ap-' || generate-id()) || ', '
        || '[' || f:trim(string-join(f:inline($printed/node()))) || '], '
        || '[' || f:trim(string-join(f:inline($other/node()))) || ' #emph[' || f:typst-escape($siglum || $cert) || ']], '
        || (if ($note) then '[' || f:trim(string-join(f:inline($note/node()))) || ']' else 'none')
        || ')&#10;&#10;'"/>
  </xsl:template>

  <!-- Additions and omissions: the words, then what the editors did with them. -->
  <xsl:template match="tei:supplied | tei:surplus | tei:del" mode="m:apparatus">
    <xsl:variable name="p" select="ancestor::tei:p[1]"/>
    <xsl:variable name="note" select="f:note-of-correction(.)"/>
    <xsl:variable name="words" select="f:trim(string-join(f:inline(node())))"/>
    <xsl:variable name="action" select="if (self::tei:supplied)
        then (if ($reading = 'diplomatic') then 'added by the editors here' else 'added by the editors, not in the source')
        else (if ($reading = 'diplomatic') then 'omitted by the editors in the corrected reading' else 'in the source, omitted here')"/>
    <xsl:variable name="cert" select="@cert[. != 'high'] ! (', certainty ' || .)"/>
    <xsl:value-of select="f:src(.) || '#app-entry('
        || f:typst-string(if ($p) then f:para-number($p) else '–') || ', '
        || f:typst-string('ap-' || generate-id()) || ', '
        || '[' || $words || '], '
        || '[#emph[' || f:typst-escape($action || $cert) || ']], '
        || (if ($note) then '[' || f:trim(string-join(f:inline($note/node()))) || ']' else 'none')
        || ')&#10;&#10;'"/>
  </xsl:template>
</xsl:stylesheet>
