<?xml version="1.0" encoding="UTF-8"?>
<!-- URL safety and authority links: which URLs from TEI may become links (http, https, mailto, relative). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  exclude-result-prefixes="#all">

  <!-- The schemes a link may use; anything else with a scheme (javascript:, data:, vbscript:, file:, ...) is refused. -->
  <xsl:variable name="f:safe-schemes" as="xs:string+" select="('http', 'https', 'mailto')"/>

  <!-- Characters dropped before looking for a scheme: controls, spaces (Unicode Zs) and zero-width characters.
       (translate(), not a regex: this runs for every link.) -->
  <xsl:variable name="f:url-ignorable" as="xs:string"
    select="codepoints-to-string((9, 10, 13, 32, 127 to 160, 5760, 8192 to 8205, 8232, 8233, 8239, 8287, 12288, 65279))"/>

  <!-- The scheme a browser would see: it ignores ASCII whitespace and control characters anywhere in the
       scheme (java&#9;script:) and the case of its letters. Empty for relative URLs. -->
  <xsl:function name="f:url-scheme" as="xs:string">
    <xsl:param name="url" as="xs:string?"/>
    <!-- No colon, no scheme (the characters dropped never include one): the common case of a relative pointer
         such as "register.xml#x" skips the translate(), which costs per call. -->
    <xsl:sequence select="if (not(contains($url, ':'))) then '' else f:url-scheme-of($url)"/>
  </xsl:function>

  <xsl:function name="f:url-scheme-of" as="xs:string">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:variable name="squeezed" select="lower-case(translate(string($url), $f:url-ignorable, ''))"/>
    <!-- a scheme is a letter, then letters, digits, "+", "." or "-", then ":" (string tests, not a regex) -->
    <xsl:variable name="candidate" select="substring-before($squeezed, ':')"/>
    <xsl:sequence select="if ($candidate != ''
                              and translate(substring($candidate, 1, 1), 'abcdefghijklmnopqrstuvwxyz', '') = ''
                              and translate($candidate, 'abcdefghijklmnopqrstuvwxyz0123456789+.-', '') = '')
                          then $candidate else ''"/>
  </xsl:function>

  <!-- True if the URL may be written into an href: relative, or with an http, https or mailto scheme. -->
  <xsl:function name="f:safe-url" as="xs:boolean">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:variable name="scheme" select="f:url-scheme($url)"/>
    <xsl:sequence select="exists($url) and normalize-space($url) != '' and ($scheme = '' or $scheme = $f:safe-schemes)"/>
  </xsl:function>

  <!-- The web address of an authority record (tei:idno), or () if the type is unknown and the content is no safe URL. -->
  <xsl:function name="f:authority-url" as="xs:string?">
    <xsl:param name="idno" as="element(tei:idno)"/>
    <xsl:variable name="v" select="normalize-space($idno)"/>
    <xsl:variable name="type" select="lower-case(string($idno/@type))"/>
    <xsl:choose>
      <xsl:when test="$type = 'wikidata' and matches($v, '^Q[0-9]+$')">
        <xsl:sequence select="'https://www.wikidata.org/wiki/' || $v"/>
      </xsl:when>
      <xsl:when test="$type = 'viaf' and matches($v, '^[0-9]+$')">
        <xsl:sequence select="'https://viaf.org/viaf/' || $v"/>
      </xsl:when>
      <xsl:when test="$type = 'geonames' and matches($v, '^[0-9]+$')">
        <xsl:sequence select="'https://www.geonames.org/' || $v"/>
      </xsl:when>
      <xsl:when test="$type = 'gnd' and matches($v, '^[0-9X\-]+$')">
        <xsl:sequence select="'https://d-nb.info/gnd/' || $v"/>
      </xsl:when>
      <xsl:when test="f:url-scheme($v) = ('http', 'https') and f:safe-url($v)">
        <xsl:sequence select="$v"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="()"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A readable label for an authority record: "Wikidata Q855". -->
  <xsl:function name="f:authority-label" as="xs:string">
    <xsl:param name="idno" as="element(tei:idno)"/>
    <xsl:variable name="type" select="lower-case(string($idno/@type))"/>
    <xsl:variable name="names" select="map{'wikidata': 'Wikidata', 'viaf': 'VIAF', 'geonames': 'GeoNames', 'gnd': 'GND'}"/>
    <xsl:sequence select="if (map:contains($names, $type)) then $names($type) || ' ' || normalize-space($idno)
                          else normalize-space($idno)"
      xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:function>

</xsl:stylesheet>
