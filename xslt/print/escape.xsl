<?xml version="1.0" encoding="UTF-8"?>
<!-- Escaping for Typst: every piece of TEI text reaches the markup through f:typst-escape, every string argument through f:typst-string. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:editio:functions"
  xmlns:math="http://www.w3.org/2005/xpath-functions/math"
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

  <!--
    Characters no bundled font can show (Typst has Latin, Greek and Cyrillic
    faces, no CJK, Indic, Arabic or emoji ones); PDF/A forbids missing glyphs.
  -->
  <xsl:variable name="f:unprintable" as="xs:string" static="yes"
    select="'[&#x0600;-&#x06FF;&#x0900;-&#x0DFF;&#x0E00;-&#x0E7F;&#x1100;-&#x11FF;&#x2E80;-&#x2FDF;&#x3000;-&#x30FF;&#x3100;-&#x9FFF;&#xA960;-&#xA97F;&#xAC00;-&#xD7FF;&#xF900;-&#xFAFF;&#xFE30;-&#xFE4F;&#xFF00;-&#xFFEF;&#x10000;-&#x10FFFF;]+'"/>

  <!--
    Text for markup: f:typst-escape, except that runs of unprintable characters
    become their code points in a small box (unprintable() in book-style.typ),
    so the page says what stands in the source instead of failing the build.
  -->
  <xsl:function name="f:typst-text" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <!-- _regex: the pattern is fixed when the stylesheet compiles, not on every call. -->
    <xsl:variable name="parts" as="xs:string*">
      <xsl:analyze-string select="string($text)" _regex="{$f:unprintable}">
        <xsl:matching-substring>
          <xsl:sequence select="'#unprintable(' || f:typst-string(string-join(string-to-codepoints(.) ! ('U+' || f:hex(.)), ' ')) || ')'"/>
        </xsl:matching-substring>
        <xsl:non-matching-substring>
          <xsl:sequence select="f:typst-escape(.)"/>
        </xsl:non-matching-substring>
      </xsl:analyze-string>
    </xsl:variable>
    <xsl:sequence select="string-join($parts)"/>
  </xsl:function>

  <!-- A code point in upper-case hexadecimal, at least four digits. -->
  <xsl:function name="f:hex" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:variable name="digits" select="string-join(reverse(
        for $i in 0 to 5 return if ($n idiv xs:integer(math:pow(16, $i)) gt 0 or $i lt 4)
          then substring('0123456789ABCDEF', ($n idiv xs:integer(math:pow(16, $i))) mod 16 + 1, 1) else ()))"/>
    <xsl:sequence select="$digits"/>
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
