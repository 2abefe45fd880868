<?xml version="1.0" encoding="UTF-8"?>
<!-- Escaping for Typst: every piece of TEI text reaches the markup through f:typst-escape, every string argument through f:typst-string. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:editio:functions"
  exclude-result-prefixes="#all">

  <!--
    Text for Typst markup mode. Every ASCII punctuation character gets a
    backslash, which Typst reads as "this character, literally". That one rule
    covers all of markup's syntax without depending on context: # * _ $ @ < > \ [ ] ~ `
    and / (comments), = - + and "1." at a line start (headings, lists), the
    shorthands - - - and ... and -?, smart quotes ' and ", "https://" autolinks,
    and the ( [ . ; that would otherwise continue an embedded expression such as
    #footnote[…]. Whitespace runs (including Unicode line and paragraph
    separators, which Typst treats as newlines) collapse to one space, so text
    can never open a new paragraph or line.
  -->
  <xsl:function name="f:typst-escape" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:sequence select="replace(replace(string($text), '[\s&#x85;&#x2028;&#x2029;]+', ' '),
                                  '([!-/:-@\[-`{-~])', '\\$1')"/>
  </xsl:function>

  <!-- A Typst string literal (in double quotes) holding $text exactly, for code-mode arguments. -->
  <xsl:function name="f:typst-string" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:variable name="escaped" select="replace(replace(string($text), '\\', '\\\\'), '&quot;', '\\&quot;')"/>
    <xsl:sequence select="'&quot;' || replace(replace(replace($escaped, '&#10;', '\\n'), '&#13;', '\\r'), '&#9;', '\\t') || '&quot;'"/>
  </xsl:function>

  <!-- A Typst content block [ … ] around markup that is already escaped. -->
  <xsl:function name="f:typst-content" as="xs:string">
    <xsl:param name="markup" as="xs:string?"/>
    <xsl:sequence select="'[' || string($markup) || ']'"/>
  </xsl:function>

  <!-- Leading and trailing spaces of generated markup removed (escaped text never ends in an escaped space). -->
  <xsl:function name="f:trim" as="xs:string">
    <xsl:param name="markup" as="xs:string?"/>
    <xsl:sequence select="replace(string($markup), '^\s+|\s+$', '')"/>
  </xsl:function>
</xsl:stylesheet>
