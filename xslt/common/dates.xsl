<?xml version="1.0" encoding="UTF-8"?>
<!-- Dates: sort keys and readable forms of TEI @when, @notBefore/@notAfter and @from/@to (ISO 8601, partial dates allowed). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  exclude-result-prefixes="#all">

  <xsl:variable name="f:month-names" as="xs:string+"
    select="('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December')"/>

  <!-- True for the ISO forms editio understands: YYYY, YYYY-MM, YYYY-MM-DD. -->
  <xsl:function name="f:is-iso-date" as="xs:boolean">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="matches(string($iso), '^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$')"/>
  </xsl:function>

  <!-- "1936-09-01" → "1 September 1936", "1936-09" → "September 1936", "1936" → "1936"; anything else unchanged. -->
  <xsl:function name="f:format-date" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:variable name="parts" select="tokenize(replace(string($iso), '^-', ''), '-')"/>
    <xsl:choose>
      <xsl:when test="not(f:is-iso-date($iso))">
        <xsl:sequence select="string($iso)"/>
      </xsl:when>
      <xsl:when test="count($parts) = 3">
        <xsl:sequence select="xs:integer($parts[3]) || ' ' || $f:month-names[xs:integer($parts[2])] || ' ' || $parts[1]"/>
      </xsl:when>
      <xsl:when test="count($parts) = 2">
        <xsl:sequence select="$f:month-names[xs:integer($parts[2])] || ' ' || $parts[1]"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$parts[1]"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A range without repeating what both ends share: "19–24 August 1936", "30 September – 2 October 1936",
       "1936–1938"; ends of different precision are written in full. -->
  <xsl:function name="f:format-range" as="xs:string">
    <xsl:param name="from" as="xs:string"/>
    <xsl:param name="to" as="xs:string"/>
    <xsl:variable name="a" select="tokenize($from, '-')"/>
    <xsl:variable name="b" select="tokenize($to, '-')"/>
    <xsl:choose>
      <xsl:when test="$from = $to">
        <xsl:sequence select="f:format-date($from)"/>
      </xsl:when>
      <xsl:when test="starts-with($from, '-') or starts-with($to, '-') or count($a) != count($b)">
        <xsl:sequence select="f:format-date($from) || ' – ' || f:format-date($to)"/>
      </xsl:when>
      <xsl:when test="count($a) = 3 and $a[1] = $b[1] and $a[2] = $b[2]">
        <xsl:sequence select="xs:integer($a[3]) || '–' || f:format-date($to)"/>
      </xsl:when>
      <xsl:when test="count($a) = 3 and $a[1] = $b[1]">
        <xsl:sequence select="xs:integer($a[3]) || ' ' || $f:month-names[xs:integer($a[2])] || ' – ' || f:format-date($to)"/>
      </xsl:when>
      <xsl:when test="count($a) = 2 and $a[1] = $b[1]">
        <xsl:sequence select="$f:month-names[xs:integer($a[2])] || '–' || f:format-date($to)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="f:format-date($from) || '–' || f:format-date($to)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The year of an ISO date, or the empty string. -->
  <xsl:function name="f:year" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="if (f:is-iso-date($iso)) then replace($iso, '^(-?[0-9]{4}).*$', '$1') else ''"/>
  </xsl:function>

  <!-- A key that sorts chronologically as a string: the earliest date an element may mean, padded to YYYY-MM-DD.
       Elements without a usable date sort last. -->
  <xsl:function name="f:date-key" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="start" select="($el/@when, $el/@notBefore, $el/@from, $el/@notAfter, $el/@to)[f:is-iso-date(.)][1]"/>
    <xsl:sequence select="if (empty($start)) then '9999-99-99'
                          else substring(string($start) || '-01-01', 1, 10)"/>
  </xsl:function>

  <!-- A readable form of an element's date attributes: "1 September 1936", "between 1 October and 31 December 1936",
       "not before 1937", "1936–1938"; with "(uncertain)" when @cert is low. Empty if there is no date. -->
  <xsl:function name="f:format-period" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="text" as="xs:string">
      <xsl:choose>
        <xsl:when test="f:is-iso-date($el/@when)">
          <xsl:sequence select="f:format-date($el/@when)"/>
        </xsl:when>
        <xsl:when test="f:is-iso-date($el/@from) and f:is-iso-date($el/@to)">
          <xsl:sequence select="f:format-range($el/@from, $el/@to)"/>
        </xsl:when>
        <xsl:when test="f:is-iso-date($el/@notBefore) and f:is-iso-date($el/@notAfter)">
          <xsl:sequence select="'between ' || f:format-date($el/@notBefore) || ' and ' || f:format-date($el/@notAfter)"/>
        </xsl:when>
        <xsl:when test="f:is-iso-date($el/@notBefore) or f:is-iso-date($el/@from)">
          <xsl:sequence select="'not before ' || f:format-date(($el/@notBefore, $el/@from)[1])"/>
        </xsl:when>
        <xsl:when test="f:is-iso-date($el/@notAfter) or f:is-iso-date($el/@to)">
          <xsl:sequence select="'not after ' || f:format-date(($el/@notAfter, $el/@to)[1])"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="''"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:sequence select="if ($text != '' and $el/@cert = ('low', 'unknown')) then $text || ' (uncertain)' else $text"/>
  </xsl:function>

  <!-- A machine-readable value for HTML <time datetime>: the @when if it is a valid ISO date, else empty. -->
  <xsl:function name="f:datetime" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="if (f:is-iso-date($el/@when) and not(starts-with($el/@when, '-'))) then string($el/@when) else ''"/>
  </xsl:function>

  <!-- Life dates of a person: "1895–1940", "born 1895", "died 1940", or empty. -->
  <xsl:function name="f:life-dates" as="xs:string">
    <xsl:param name="person" as="element()"/>
    <xsl:variable name="b" select="f:year(($person/tei:birth/(@when, @notBefore, @from))[1])"/>
    <xsl:variable name="d" select="f:year(($person/tei:death/(@when, @notAfter, @to))[1])"/>
    <xsl:sequence select="if ($b != '' and $d != '') then $b || '–' || $d
                          else if ($b != '') then 'born ' || $b
                          else if ($d != '') then 'died ' || $d else ''"/>
  </xsl:function>

</xsl:stylesheet>
