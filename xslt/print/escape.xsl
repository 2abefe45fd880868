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
    <!-- The character class is spelt out: Saxon runs an enumerated class much faster than ranges;
         and $0 (the whole match) instead of a captured group halves the time of this, the
         stylesheet's busiest function. -->
    <xsl:sequence select="replace(f:collapse-space($text), '[!&quot;#$%&amp;''()*+,\-./:;&lt;=&gt;?@\[\\\]\^_`{|}~]', '\\$0')"/>
  </xsl:function>

  <!-- Whitespace runs (with U+0085, U+2028, U+2029) as one space, leading and trailing space kept as one;
       done with translate() and normalize-space(), which are much faster than a regex here. -->
  <xsl:function name="f:collapse-space" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:variable name="spaced" select="translate(string($text), '&#9;&#10;&#13;&#x85;&#x2028;&#x2029;', '      ')"/>
    <xsl:variable name="inner" select="normalize-space($spaced)"/>
    <xsl:sequence select="if (not($inner)) then (if ($spaced) then ' ' else '')
                          else (if (starts-with($spaced, ' ')) then ' ' else '') || $inner || (if (ends-with($spaced, ' ')) then ' ' else '')"/>
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
    <xsl:sequence _select="if (not(matches(string($text), '{$f:unprintable}'))) then f:typst-escape($text) else f:typst-text-split($text)"/>
  </xsl:function>

  <xsl:function name="f:typst-text-split" as="xs:string">
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

  <!-- Leading and trailing whitespace of generated markup removed (escaped text never ends in an
       escaped space). Only the ends are inspected, so this costs the same for any length. -->
  <xsl:function name="f:trim" as="xs:string">
    <xsl:param name="markup" as="xs:string?"/>
    <xsl:variable name="m" select="string($markup)"/>
    <xsl:variable name="head" select="string-to-codepoints(substring($m, 1, 32))"/>
    <xsl:variable name="tail" select="reverse(string-to-codepoints(substring($m, string-length($m) - 31)))"/>
    <xsl:variable name="lead" select="(index-of($head ! (. = (9, 10, 13, 32)), false())[1], count($head) + 1)[1] - 1"/>
    <xsl:variable name="trail" select="(index-of($tail ! (. = (9, 10, 13, 32)), false())[1], count($tail) + 1)[1] - 1"/>
    <xsl:sequence select="if ($lead ge string-length($m)) then '' else substring($m, $lead + 1, string-length($m) - $lead - $trail)"/>
  </xsl:function>
</xsl:stylesheet>
